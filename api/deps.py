"""Dependencies shared by the routes: the runtime, the current user, role checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from api.security import read_token
from workflow.db.engine import transaction
from workflow.db.models import User
from workflow.errors import AuthenticationFailed
from workflow.intake.applications import Actor
from workflow.runtime import Runtime

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")


def get_runtime(request: Request) -> Runtime:
    """Return the runtime the app built at start-up."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_current_actor(rt: RuntimeDep, token: Annotated[str, Depends(oauth2_scheme)]) -> Actor:
    """Return the staff member the bearer token names."""
    user_id = read_token(token, secret=rt.settings.jwt_secret.get_secret_value())
    with transaction(rt.sessions) as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise AuthenticationFailed(f"token for unknown or inactive user {user_id}")
        return Actor.of(user)


CurrentActor = Annotated[Actor, Depends(get_current_actor)]
