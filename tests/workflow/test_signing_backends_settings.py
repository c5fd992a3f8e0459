"""The settings refuse an incomplete signing backend with a message that names what is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from workflow.config import Settings

PRODUCTION: dict[str, Any] = {"environment": "production", "jwt_secret": SecretStr("x" * 40)}
PKCS11: dict[str, Any] = {
    "signing_backend": "pkcs11",
    "pkcs11_module": Path("/usr/lib/softhsm/libsofthsm2.so"),
    "pkcs11_token_label": "kadis-token",
    "pkcs11_key_label": "kadis",
}
BSRE: dict[str, Any] = {
    "signing_backend": "bsre",
    "bsre_url": "https://esign.example.go.id",
    "bsre_client_id": "pintu",
    "bsre_client_secret": SecretStr("client-secret"),
    "bsre_signer_nik": "6104011503700002",
}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({**PKCS11, "pkcs11_module": None}, "SIGNING_BACKEND=pkcs11 needs PKCS11_MODULE"),
        (
            {**PKCS11, "pkcs11_token_label": None, "pkcs11_key_label": None},
            "PKCS11_TOKEN_LABEL, PKCS11_KEY_LABEL",
        ),
        ({**BSRE, "bsre_url": None}, "SIGNING_BACKEND=bsre needs BSRE_URL"),
        ({**BSRE, "bsre_signer_nik": None}, "exactly one of BSRE_SIGNER_NIK or BSRE_SIGNER_EMAIL"),
        ({**BSRE, "bsre_signer_email": "kadis@example.go.id"}, "exactly one of BSRE_SIGNER_NIK"),
        ({**PRODUCTION}, "KADIS_P12_PATH must name the Kadis's key"),
        ({**PRODUCTION, **PKCS11}, "TRUST_ROOTS must name the CA certificates"),
        ({**PRODUCTION, **BSRE, "trust_roots": [Path("root.pem")]}, "needs TSA_URLS"),
    ],
)
def test_an_incomplete_backend_is_refused(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**settings)


def test_a_complete_backend_needs_no_key_file_in_production() -> None:
    pkcs11 = Settings(**PRODUCTION, **PKCS11, trust_roots=[Path("root.pem")])
    bsre = Settings(
        **PRODUCTION, **BSRE, trust_roots=[Path("root.pem")], tsa_urls=["http://tsa.example"]
    )
    assert pkcs11.kadis_p12_path is None and not pkcs11.uses_dev_pki
    assert bsre.signing_backend == "bsre" and not bsre.uses_dev_pki
    assert Settings(**BSRE).uses_dev_pki  # development: the development PKI's trust and TSA
