"""The PKCS#11 backend on a real SoftHSM2 token holding the Kadis's key."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import threading
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from signer import (
    DevPki,
    Pkcs11Config,
    Pkcs11Key,
    SignatureRequest,
    Signer,
    TimestampConfig,
    TokenUnavailable,
    TrustConfig,
    WrongPassphrase,
    reset_token,
    unusable_tokens,
    verify_pdf,
)
from tests.fixtures.pki import PASSPHRASE, make_pdf
from tests.signer._tools import pdfsig_valid_count, pyhanko_ades_status, qpdf_check

pytestmark = pytest.mark.hsm

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN = "pintu-kadis"
PIN = "246810"


def _tool(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def token_config(dev_pki: DevPki, tmp_path_factory: pytest.TempPathFactory) -> Pkcs11Config:
    if not MODULE.exists():
        pytest.fail(f"SoftHSM2 module missing at {MODULE} (install softhsm2)")
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    # SoftHSM reads its config when the module is first initialised in this process
    os.environ["SOFTHSM2_CONF"] = str(conf)
    _tool(
        "softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN,
        "--so-pin", "13579111",
    )  # fmt: skip
    key, cert, _ = pkcs12.load_key_and_certificates(
        dev_pki.kadis_p12.read_bytes(), PASSPHRASE.encode()
    )
    assert key is not None and cert is not None
    key_pem = folder / "kadis.key.pem"
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_der = folder / "kadis.cert.der"
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    _tool(
        "softhsm2-util", "--import", str(key_pem), "--token", TOKEN, "--label", "kadis",
        "--id", "01", "--pin", PIN,
    )  # fmt: skip
    _tool(
        "pkcs11-tool", "--module", str(MODULE), "--token-label", TOKEN, "--login", "--pin", PIN,
        "--write-object", str(cert_der), "--type", "cert", "--label", "kadis", "--id", "01",
    )  # fmt: skip
    key_pem.unlink()
    return Pkcs11Config(module_path=MODULE, token_label=TOKEN, key_label="kadis")


@pytest.fixture(scope="module")
def dev_signer(dev_pki: DevPki) -> Signer:
    return Signer(TrustConfig.from_dev_pki(dev_pki), TimestampConfig.from_dev_pki(dev_pki))


def kadis_request(level: str) -> SignatureRequest:
    return SignatureRequest(
        signer_name="Dr. Rahmat Hidayat, S.Sos., M.Si.",
        nip="197003151995031002",
        position="Kepala DPMPTSP Kabupaten Mempawah",
        level=level,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_token_key_signs_at_each_level(
    level: str, token_config: Pkcs11Config, dev_signer: Signer, dev_pki: DevPki, tmp_path: Path
) -> None:
    key = Pkcs11Key(token_config, PIN)
    result = dev_signer.sign(make_pdf(), key, kadis_request(level))
    assert result.level == level
    assert pdfsig_valid_count(result.pdf, tmp_path)[0] == 1
    assert qpdf_check(result.pdf, tmp_path)[0] == 0
    assert pyhanko_ades_status(result.pdf, dev_pki, level) == "PASSED"
    assert verify_pdf(result.pdf, TrustConfig.from_dev_pki(dev_pki)).status == "VALID"


def test_session_is_logged_out_after_use(token_config: Pkcs11Config, dev_signer: Signer) -> None:
    dev_signer.sign(make_pdf(), Pkcs11Key(token_config, PIN), kadis_request("B-B"))
    token = pkcs11.lib(str(MODULE)).get_token(token_label=TOKEN)
    with token.open() as public_session:  # no login: private objects must stay hidden
        private = list(
            public_session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY})
        )
    assert private == []


def test_wrong_pin_is_refused(token_config: Pkcs11Config, dev_signer: Signer) -> None:
    with pytest.raises(WrongPassphrase):
        dev_signer.sign(make_pdf(), Pkcs11Key(token_config, "000000"), kadis_request("B-B"))


def test_missing_token_is_reported(token_config: Pkcs11Config, dev_signer: Signer) -> None:
    missing = dataclasses.replace(token_config, token_label="tidak-ada")
    with pytest.raises(TokenUnavailable):
        dev_signer.sign(make_pdf(), Pkcs11Key(missing, PIN), kadis_request("B-B"))


def test_parallel_requests_on_one_token_do_not_trip_over_login(
    token_config: Pkcs11Config, dev_pki: DevPki
) -> None:
    errors: list[BaseException] = []
    results: list[str] = []

    def sign_one() -> None:
        # one Signer per thread, like separate requests; they share the token
        signer = Signer(TrustConfig.from_dev_pki(dev_pki))
        try:
            for _ in range(3):
                results.append(
                    signer.sign(
                        make_pdf(), Pkcs11Key(token_config, PIN), kadis_request("B-B")
                    ).level
                )
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)
        finally:
            signer.close()

    threads = [threading.Thread(target=sign_one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert results == ["B-B"] * 9


def test_token_missing_its_deadline_is_unusable_until_reset(
    token_config: Pkcs11Config, dev_signer: Signer
) -> None:
    impatient = dataclasses.replace(token_config, open_timeout=0.000001)
    with pytest.raises(TokenUnavailable):
        dev_signer.sign(make_pdf(), Pkcs11Key(impatient, PIN), kadis_request("B-B"))
    assert TOKEN in unusable_tokens()
    with pytest.raises(TokenUnavailable, match="marked unusable"):
        dev_signer.sign(make_pdf(), Pkcs11Key(token_config, PIN), kadis_request("B-B"))
    reset_token(TOKEN)
    assert (
        dev_signer.sign(make_pdf(), Pkcs11Key(token_config, PIN), kadis_request("B-B")).level
        == "B-B"
    )
