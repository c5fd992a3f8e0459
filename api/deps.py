"""Dependencies shared by the routes: the runtime, the current user, role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

import workflow
from api.security import read_token

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")


def get_runtime(request: Request) -> workflow.Runtime:
    """Return the runtime the app built at start-up."""
    runtime: workflow.Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[workflow.Runtime, Depends(get_runtime)]


def get_current_actor(
    rt: RuntimeDep, token: Annotated[str, Depends(oauth2_scheme)]
) -> workflow.Actor:
    """Return the staff member the bearer token names."""
    user_id = read_token(token, secret=rt.settings.jwt_secret.get_secret_value())
    return workflow.active_actor(rt, user_id)


CurrentActor = Annotated[workflow.Actor, Depends(get_current_actor)]
