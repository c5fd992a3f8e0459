"""Short-lived JWT access tokens for the OAuth2 password flow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from workflow.errors import AuthenticationFailed

ALGORITHM = "HS256"
AUDIENCE = "pintu-api"


def issue_token(user_id: str, role: str, *, secret: str, minutes: int) -> str:
    """Return a signed access token for ``user_id`` valid for ``minutes``."""
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "role": role,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, *, secret: str) -> str:
    """Return the user id of a valid token, or raise AuthenticationFailed."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE)
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed(f"invalid token: {type(exc).__name__}") from exc
    subject = claims.get("sub")
    if not isinstance(subject, str):
        raise AuthenticationFailed("token without subject")
    return subject
