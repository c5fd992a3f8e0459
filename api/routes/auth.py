"""OAuth2 password flow: staff log in and get a short-lived bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

import workflow
from api.deps import CurrentActor, RuntimeDep
from api.security import issue_token

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", operation_id="login")
def login(
    rt: RuntimeDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> dict[str, object]:
    """Exchange a user name and password for a bearer token."""
    actor = workflow.log_in(rt, form.username, form.password)
    token = issue_token(
        actor.user_id,
        actor.role.value,
        secret=rt.settings.jwt_secret.get_secret_value(),
        minutes=rt.settings.access_token_minutes,
    )
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": rt.settings.access_token_minutes * 60,
    }


@router.get("/me", operation_id="whoami")
def whoami(actor: CurrentActor) -> workflow.Actor:
    """Return the logged-in staff member and role."""
    return actor
