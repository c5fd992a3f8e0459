"""The Kadis's consent: the passphrase, PIN or TOTP of one request or batch, never stored.

The secret opens a signing session (:mod:`workflow.signing.request`) on the configured backend
and is dropped with it; it never goes to the database, the broker, a cache or a log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from workflow.errors import ConsentNotAccepted

if TYPE_CHECKING:
    from workflow.runtime import Runtime

SecretKind = Literal["passphrase", "pin", "totp"]
ACCEPTED_SECRETS: dict[str, tuple[SecretKind, ...]] = {
    "pkcs12": ("passphrase",),
    "pkcs11": ("pin",),
    "bsre": ("passphrase", "totp"),
}
"""The secrets each backend takes; the first is what a bare string means."""
_SECRET_WORDS: dict[str, str] = {"passphrase": "passphrase", "pin": "PIN", "totp": "TOTP"}


@dataclass(frozen=True, slots=True)
class Consent:
    """The Kadis's secret for one request or batch; ``kind`` None means the backend's usual one."""

    secret: str = field(repr=False)
    kind: SecretKind | None = None


def as_consent(secret: str | Consent) -> Consent:
    """Return ``secret`` as a consent (a bare string is the backend's usual kind of secret)."""
    return secret if isinstance(secret, Consent) else Consent(secret)


def consent_kind(rt: Runtime, consent: Consent) -> SecretKind:
    """Return the kind of secret ``consent`` is for the configured backend, or refuse it."""
    accepted = ACCEPTED_SECRETS[rt.signing.backend]
    kind = consent.kind or accepted[0]
    if kind not in accepted:
        words = " atau ".join(_SECRET_WORDS[k] for k in accepted)
        raise ConsentNotAccepted(
            f"backend {rt.signing.backend} takes {'/'.join(accepted)}, not {kind}",
            detail_id=f"Tanda tangan di kantor ini memakai {words}, bukan {_SECRET_WORDS[kind]}.",
        )
    if not consent.secret:
        raise ConsentNotAccepted("empty secret", detail_id=f"{_SECRET_WORDS[kind]} kosong.")
    return kind
