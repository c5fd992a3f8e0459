"""Signing and verification against the test PKI served on loopback (TSA, OCSP, CRLs)."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from common.errors import OperationalError
from signer import (
    CertificateNotUsable,
    SignatureRequest,
    Signer,
    TimestampConfig,
    TimestampUnavailable,
    TrustConfig,
    load_pkcs12,
    verify_pdf,
)
from tests.fixtures.pki import PASSPHRASE, PkiServices, make_pdf
from tests.signer._tools import pdfsig_valid_count, pyhanko_ades_status, qpdf_check

pytestmark = pytest.mark.integration


def request(level: str) -> SignatureRequest:
    return SignatureRequest(
        signer_name="Dr. Rahmat Hidayat, S.Sos., M.Si.",
        nip="197003151995031002",
        position="Kepala DPMPTSP Kabupaten Mempawah",
        level=level,  # type: ignore[arg-type]
    )


def online_trust(services: PkiServices) -> TrustConfig:
    return TrustConfig.from_dev_pki(services.pki, allow_fetching=True)


def offline_trust(services: PkiServices) -> TrustConfig:
    return dataclasses.replace(online_trust(services), allow_fetching=False)


@pytest.fixture(scope="module")
def online_signer(pki_services: PkiServices) -> Signer:
    return Signer(online_trust(pki_services), TimestampConfig(tsa_urls=(pki_services.tsa_url,)))


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"  # nothing listens there any more


class _GarbageTsa(BaseHTTPRequestHandler):
    """A TSA that answers 200 with bytes that are not a timestamp response."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", "7")
        self.end_headers()
        self.wfile.write(b"garbage")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def garbage_tsa_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GarbageTsa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("level", ["B-T", "B-LTA"])
def test_sign_online_with_loopback_tsa_and_ocsp(
    level: str, online_signer: Signer, pki_services: PkiServices, tmp_path: Path
) -> None:
    key = load_pkcs12(pki_services.pki.kadis_p12, PASSPHRASE)
    result = online_signer.sign(make_pdf(), key, request(level))
    assert result.level == level and not result.degraded
    valid, _, out = pdfsig_valid_count(result.pdf, tmp_path)
    assert valid == 1, out
    assert qpdf_check(result.pdf, tmp_path)[0] == 0
    report = verify_pdf(result.pdf, online_trust(pki_services))
    assert report.status == "VALID", report.to_dict()
    if level == "B-LTA":
        # B-LTA stays verifiable offline, with the PKI's services stopped
        pki_services.stop()
        try:
            offline = verify_pdf(result.pdf, offline_trust(pki_services))
            assert offline.status == "VALID", offline.to_dict()
            assert pyhanko_ades_status(result.pdf, pki_services.pki, "B-LTA", with_crls=False) == (
                "PASSED"
            )
        finally:
            pki_services.start()


def test_b_t_without_reachable_revocation_data_is_indeterminate(
    online_signer: Signer, pki_services: PkiServices
) -> None:
    key = load_pkcs12(pki_services.pki.kadis_p12, PASSPHRASE)
    signed = online_signer.sign(make_pdf(), key, request("B-T")).pdf
    pki_services.stop()
    try:
        report = verify_pdf(signed, offline_trust(pki_services))
    finally:
        pki_services.start()
    assert report.status == "INDETERMINATE"
    assert not report.signatures[0].revocation_data_found


def test_tsa_failover_skips_dead_and_broken_tsas(
    pki_services: PkiServices, garbage_tsa_url: str
) -> None:
    urls = (_dead_url(), garbage_tsa_url, pki_services.tsa_url)
    signer = Signer(online_trust(pki_services), TimestampConfig(tsa_urls=urls, timeout=5))
    key = load_pkcs12(pki_services.pki.kadis_p12, PASSPHRASE)
    result = signer.sign(make_pdf(), key, request("B-T"))
    assert result.level == "B-T"


def test_no_tsa_answering_fails_by_default(pki_services: PkiServices) -> None:
    signer = Signer(online_trust(pki_services), TimestampConfig(tsa_urls=(_dead_url(),)))
    key = load_pkcs12(pki_services.pki.kadis_p12, PASSPHRASE)
    with pytest.raises(TimestampUnavailable) as caught:
        signer.sign(make_pdf(), key, request("B-LTA"))
    assert isinstance(caught.value, OperationalError)
    assert caught.value.http_status >= 500


def test_no_tsa_answering_degrades_to_b_b_only_when_configured(pki_services: PkiServices) -> None:
    config = TimestampConfig(tsa_urls=(_dead_url(),), on_unavailable="degrade_to_bb")
    signer = Signer(online_trust(pki_services), config)
    key = load_pkcs12(pki_services.pki.kadis_p12, PASSPHRASE)
    result = signer.sign(make_pdf(), key, request("B-LTA"))
    assert result.degraded and result.level == "B-B" and result.requested_level == "B-LTA"
    assert verify_pdf(result.pdf, online_trust(pki_services)).status == "VALID"


def _sign_with_stock_pyhanko(p12: Path) -> bytes:
    """Sign at B-B with pyHanko directly, bypassing Pintu's certificate checks."""
    cms_signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSPHRASE.encode())
    assert cms_signer is not None
    writer = IncrementalPdfFileWriter(BytesIO(make_pdf()))
    meta = signers.PdfSignatureMetadata(
        field_name="Sig1", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    return signers.PdfSigner(meta, signer=cms_signer).sign_pdf(writer).getvalue()


@pytest.mark.parametrize("label", ["kadis-revoked", "rogue-signer"])
def test_revoked_or_untrusted_signatures_are_never_reported_trusted(
    label: str, pki_services: PkiServices
) -> None:
    signed = _sign_with_stock_pyhanko(pki_services.pki.test_signer_p12(label))
    report = verify_pdf(signed, online_trust(pki_services))
    (sig,) = report.signatures
    assert sig.intact
    assert not sig.trusted
    assert report.status != "VALID"
    if label == "kadis-revoked":
        assert "REVOKED" in (sig.sub_indication or "")


def test_revoked_certificate_cannot_sign_online(
    online_signer: Signer, pki_services: PkiServices
) -> None:
    key = load_pkcs12(pki_services.pki.test_signer_p12("kadis-revoked"), PASSPHRASE)
    with pytest.raises(CertificateNotUsable):
        online_signer.sign(make_pdf(), key, request("B-B"))
