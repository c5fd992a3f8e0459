"""Step 5 in the request that carries the passphrase, PIN or TOTP.

The configured backend is opened for this request or batch only, and one permit signed with it.

Backends: a PKCS#12 file (passphrase), a PKCS#11 token (PIN) or the remote signer BSrE
(passphrase or TOTP); the session lives as long as the request or batch and is then dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from common.errors import PintuError
from workflow.db.engine import transaction
from workflow.db.models import Application
from workflow.intake.applications import get_application
from workflow.signing.consent import Consent, as_consent, consent_kind
from workflow.signing.local import LocalKeySession, open_kadis_key
from workflow.signing.remote import open_remote_session
from workflow.signing.session import SigningSession, record_failure
from workflow.sop.states import plan_transition
from workflow.sop.transitions import Actor

if TYPE_CHECKING:
    from workflow.runtime import Runtime


@contextmanager
def open_signing_session(rt: Runtime, secret: str | Consent) -> Iterator[SigningSession]:
    """Open the configured backend with this request's secret, for this request or batch only."""
    rt.signing.refresh()
    consent = as_consent(secret)
    if rt.signing.backend == "bsre":
        session: SigningSession = open_remote_session(rt, consent, consent_kind(rt, consent))
    else:
        session = LocalKeySession(open_kadis_key(rt, consent))
    try:
        yield session
    finally:
        del session


def sign_permit(
    rt: Runtime, actor: Actor, application_id: str, secret: str | Consent
) -> Application:
    """Sign one permit with the secret given in this request (a bare string: the usual kind)."""
    with transaction(rt.sessions) as session:  # refuse early, before the key is opened
        plan_transition(get_application(session, application_id), "sign", actor.role)
    try:
        with open_signing_session(rt, secret) as signing:
            [outcome] = signing.sign_group(rt, actor, [application_id], batch_id=None)
    except PintuError as exc:  # the secret was refused (failures of signing are outcomes)
        record_failure(rt, application_id, exc)
        raise
    if outcome.error is not None:
        raise outcome.error
    with transaction(rt.sessions) as session:
        return get_application(session, application_id)
