"""Remote signing through the BSrE API (local test server), checked and extended to B-LTA."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from asn1crypto import pem, x509

from signer import (
    BatchTooLarge,
    BsreAppearance,
    BsreClient,
    BsreConfig,
    BsreIdentity,
    RemoteOutcomeUnknown,
    RemoteSignerError,
    RemoteSignerRejected,
    SignatureNotValid,
    TimestampConfig,
    TrustConfig,
    verify_pdf,
)
from tests.fixtures.pki import PkiServices, make_pdf
from tests.signer._tools import pdfsig_valid_count, qpdf_check
from tests.signer.bsre_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    USER_NIK,
    USER_PASSPHRASE,
    BsreTestServer,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def bsre(pki_services: PkiServices) -> Iterator[BsreTestServer]:
    server = BsreTestServer(pki=pki_services.pki)
    server.start()
    yield server
    server.stop()


def _client(
    server: BsreTestServer,
    services: PkiServices,
    *,
    secret: str = CLIENT_SECRET,
    timeout: float = 30,
) -> BsreClient:
    config = BsreConfig(
        base_url=server.url, client_id=CLIENT_ID, client_secret=secret, timeout=timeout, max_batch=3
    )
    return BsreClient(
        config,
        TrustConfig.from_dev_pki(services.pki, allow_fetching=True),
        TimestampConfig(tsa_urls=(services.tsa_url,)),
    )


def _kadis_cert(services: PkiServices) -> x509.Certificate:
    path = services.pki.folder / "certs" / "kadis.cert.pem"
    return x509.Certificate.load(pem.unarmor(path.read_bytes())[2])


IDENTITY = BsreIdentity(nik=USER_NIK, passphrase=USER_PASSPHRASE)
VISIBLE = BsreAppearance(visible=True, page=1, origin_x=60, origin_y=60, width=200, height=80)


def test_batch_is_signed_checked_and_extended_to_b_lta(
    bsre: BsreTestServer, pki_services: PkiServices, tmp_path: Path
) -> None:
    sent_marks: list[str] = []
    pdfs = [make_pdf(text=f"Sertifikat Standar (uji) no {i}") for i in range(2)]
    client = _client(bsre, pki_services)
    try:
        results = client.sign(
            pdfs,
            IDENTITY,
            [VISIBLE, BsreAppearance()],
            on_sent=sent_marks.append,
            expected_signer=_kadis_cert(pki_services),
        )
    finally:
        client.close()
    assert len(sent_marks) == 1 and len(bsre.calls) == 1
    assert bsre.calls[0]["files"] == 2
    for sent, result in zip(pdfs, results, strict=True):
        assert result.level == "B-LTA"
        assert result.pdf.startswith(sent)
        valid, _, out = pdfsig_valid_count(result.pdf, tmp_path)
        assert valid == 1, out
        assert qpdf_check(result.pdf, tmp_path)[0] == 0
        report = verify_pdf(result.pdf, TrustConfig.from_dev_pki(pki_services.pki))
        assert report.status == "VALID", report.to_dict()
        assert report.signatures[0].level == "B-LTA"
        assert not report.signatures[0].certified  # BSrE signs without a certification level


def test_lost_answer_is_outcome_unknown_and_never_retried(
    bsre: BsreTestServer, pki_services: PkiServices
) -> None:
    bsre.mode = "lose_answer"
    sent_marks: list[str] = []
    client = _client(bsre, pki_services, timeout=1)
    try:
        with pytest.raises(RemoteOutcomeUnknown):
            client.sign([make_pdf()], IDENTITY, [BsreAppearance()], on_sent=sent_marks.append)
    finally:
        client.close()
    assert len(sent_marks) == 1
    assert len(bsre.calls) == 1


@pytest.mark.parametrize(
    ("mode", "why"),
    [
        ("wrong_prefix", "does not begin with the bytes sent"),
        ("two_signatures", "adds 2 signatures"),
        ("wrong_signer", "unexpected certificate"),
    ],
)
def test_unacceptable_answers_are_refused(
    mode: str, why: str, bsre: BsreTestServer, pki_services: PkiServices
) -> None:
    bsre.mode = mode
    client = _client(bsre, pki_services)
    try:
        with pytest.raises(SignatureNotValid, match=why):
            client.sign(
                [make_pdf()],
                IDENTITY,
                [BsreAppearance()],
                on_sent=lambda _: None,
                expected_signer=_kadis_cert(pki_services),
            )
    finally:
        client.close()
    assert len(bsre.calls) == 1


def test_wrong_client_credentials_and_wrong_passphrase(
    bsre: BsreTestServer, pki_services: PkiServices
) -> None:
    client = _client(bsre, pki_services, secret="wrong")
    try:
        with pytest.raises(RemoteSignerError):
            client.sign([make_pdf()], IDENTITY, [BsreAppearance()], on_sent=lambda _: None)
    finally:
        client.close()
    client = _client(bsre, pki_services)
    try:
        with pytest.raises(RemoteSignerRejected):
            client.sign(
                [make_pdf()],
                BsreIdentity(nik=USER_NIK, passphrase="salah"),
                [BsreAppearance()],
                on_sent=lambda _: None,
            )
        bsre.mode = "server_error"
        with pytest.raises(RemoteSignerError):
            client.sign([make_pdf()], IDENTITY, [BsreAppearance()], on_sent=lambda _: None)
    finally:
        client.close()


def test_batch_larger_than_configured_is_refused_before_sending(
    bsre: BsreTestServer, pki_services: PkiServices
) -> None:
    sent_marks: list[str] = []
    client = _client(bsre, pki_services)
    try:
        with pytest.raises(BatchTooLarge):
            client.sign(
                [make_pdf()] * 4, IDENTITY, [BsreAppearance()] * 4, on_sent=sent_marks.append
            )
    finally:
        client.close()
    assert sent_marks == [] and bsre.calls == []


def test_user_status(bsre: BsreTestServer, pki_services: PkiServices) -> None:
    client = _client(bsre, pki_services)
    try:
        assert client.user_status(IDENTITY) == "ISSUE"
        other = BsreIdentity(nik="6104010000000000", totp="123456")
        assert client.user_status(other) == "NOT_REGISTERED"
    finally:
        client.close()


def test_identity_never_shows_its_secret() -> None:
    assert USER_PASSPHRASE not in repr(IDENTITY)
