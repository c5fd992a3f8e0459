"""Signing, keys, PKI and verification of PDF signatures (PAdES via pyHanko).

Public surface:

- ``ensure_dev_pki`` / ``DevPki``: the development (and test) PKI made with certomancer;
- ``SigningKey``: key backends behind one interface (``load_pkcs12``, ``Pkcs11Key``);
- ``Signer``: PAdES B-B … B-LTA signing, every output checked before it is returned;
- ``BsreClient``: remote signing by BSrE, checked and extended to B-LTA locally;
- ``extend_to_lta``: revocation data + document timestamp (BSrE output, LTV upkeep);
- ``verify_pdf``: strict verification report (no soft-fail);
- ``render_pdf``: the permit renderer (from ``signer.render``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._augment import extend_to_lta, last_timestamp_expiry
from ._bsre import BsreAppearance, BsreClient, BsreConfig, BsreIdentity
from ._keys import Pkcs12Key, SigningKey, load_pkcs12
from ._pkcs11 import Pkcs11Config, Pkcs11Key, reset_token, unusable_tokens
from ._pki import DevPki, ensure_dev_pki, existing_dev_pki
from ._signing import Signer
from ._types import (
    DEFAULT_SIGNATURE_BOX,
    PadesLevel,
    SignatureReport,
    SignatureRequest,
    SignedPdf,
    TimestampConfig,
    TrustConfig,
    VerificationReport,
)
from ._verify import verify_pdf, verify_pdf_async
from .errors import (
    BatchTooLarge,
    CertificateNotUsable,
    InvalidKeyFile,
    InvalidPdf,
    PkiError,
    RemoteOutcomeUnknown,
    RemoteSignerError,
    RemoteSignerRejected,
    SignatureNotValid,
    TimestampUnavailable,
    TokenUnavailable,
    WrongPassphrase,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DEFAULT_SIGNATURE_BOX",
    "BatchTooLarge",
    "BsreAppearance",
    "BsreClient",
    "BsreConfig",
    "BsreIdentity",
    "CertificateNotUsable",
    "DevPki",
    "InvalidKeyFile",
    "InvalidPdf",
    "PadesLevel",
    "Pkcs11Config",
    "Pkcs11Key",
    "Pkcs12Key",
    "PkiError",
    "RemoteOutcomeUnknown",
    "RemoteSignerError",
    "RemoteSignerRejected",
    "SignatureNotValid",
    "SignatureReport",
    "SignatureRequest",
    "SignedPdf",
    "Signer",
    "SigningKey",
    "TimestampConfig",
    "TimestampUnavailable",
    "TokenUnavailable",
    "TrustConfig",
    "VerificationReport",
    "WrongPassphrase",
    "ensure_dev_pki",
    "existing_dev_pki",
    "extend_to_lta",
    "last_timestamp_expiry",
    "load_pkcs12",
    "render_pdf",
    "reset_token",
    "unusable_tokens",
    "verify_pdf",
    "verify_pdf_async",
]


def render_pdf(template: str, data: Mapping[str, Any], *, draft: bool = False) -> bytes:
    """Render a permit template to PDF/A (delegates to ``signer.render``)."""
    from .render import render_pdf as _render_pdf

    result: bytes = _render_pdf(template, data, draft=draft)
    return result
