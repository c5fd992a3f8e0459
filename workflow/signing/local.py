"""Signing with a local key: a PKCS#12 file (passphrase) or a PKCS#11 token (PIN).

A PKCS#12 key is decrypted for the session; a token is logged into under its lock for each
signature and logged out after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import signer
from common.errors import ConfigurationError, PintuError
from signer.render import signature_box
from workflow.db.models import Application
from workflow.errors import ConsentNotAccepted
from workflow.signing.consent import Consent, consent_kind
from workflow.signing.session import (
    PermitOutcome,
    SigningSession,
    keep_signed,
    permit_pdf,
    record_failure,
)
from workflow.sop.transitions import Actor

if TYPE_CHECKING:
    from workflow.runtime import Runtime


class LocalKeySession(SigningSession):
    """A PKCS#12 key decrypted for the session, or a PKCS#11 key logged into per signature."""

    def __init__(self, key: signer.SigningKey) -> None:
        self.key = key

    @property
    def certificate_subject(self) -> str | None:
        """The key's certificate subject."""
        return self.key.subject

    def sign_group(
        self, rt: Runtime, actor: Actor, application_ids: Sequence[str], *, batch_id: str | None
    ) -> list[PermitOutcome]:
        """Sign each permit with the key; a failure is reported, not raised."""
        outcomes = []
        for application_id in application_ids:
            try:
                sign_with_key(rt, actor, application_id, self.key)
            except PintuError as exc:
                outcomes.append(PermitOutcome(application_id, exc))
            else:
                outcomes.append(PermitOutcome(application_id))
        return outcomes


def open_kadis_key(rt: Runtime, consent: Consent) -> signer.SigningKey:
    """Open the Kadis's local key (PKCS#12 passphrase or PKCS#11 PIN); a wrong one is refused."""
    kind = consent_kind(rt, consent)
    setup = rt.signing
    if setup.backend == "pkcs12":
        if setup.kadis_p12 is None:
            raise ConfigurationError("SIGNING_BACKEND=pkcs12 has no key file (KADIS_P12_PATH)")
        return signer.load_pkcs12(setup.kadis_p12, consent.secret)
    if setup.backend == "pkcs11":
        if setup.pkcs11 is None:
            raise ConfigurationError("SIGNING_BACKEND=pkcs11 has no token configured")
        key = signer.Pkcs11Key(setup.pkcs11, consent.secret)
        key.certificate  # noqa: B018 - logs in once (and out): a wrong PIN is refused here
        return key
    raise ConsentNotAccepted(f"backend {setup.backend} has no local key for a {kind}")


def sign_with_key(
    rt: Runtime, actor: Actor, application_id: str, key: signer.SigningKey
) -> Application:
    """Render, sign, re-verify and store the permit; then take ``sign`` and queue archiving."""
    try:
        pdf = permit_pdf(rt, actor, application_id)
        box = signature_box("sertifikat_standar")
        signed = rt.signing.service.sign(
            pdf,
            key,
            signer.SignatureRequest(
                signer_name=actor.full_name,
                nip=actor.nip or "-",
                position=actor.jabatan or "Kepala Dinas",
                reason="Penerbitan Sertifikat Standar",
                location="Mempawah",
                page=box.page,
                box=(box.x0, box.y0, box.x1, box.y1),
                qr_url=rt.verification_url(application_id),
            ),
        )
        return keep_signed(rt, actor, application_id, signed)
    except PintuError as exc:
        record_failure(rt, application_id, exc)
        raise
