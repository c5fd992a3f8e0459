"""Signing with the development PKI in-process (no server): levels, checks by two validators."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signer import (
    CertificateNotUsable,
    DevPki,
    InvalidKeyFile,
    InvalidPdf,
    SignatureRequest,
    Signer,
    TimestampConfig,
    TrustConfig,
    WrongPassphrase,
    last_timestamp_expiry,
    load_pkcs12,
    verify_pdf,
    verify_pdf_async,
)
from tests.fixtures.pki import PASSPHRASE, make_pdf
from tests.signer._tools import (
    fonts_not_embedded,
    pdfsig_valid_count,
    pyhanko_ades_status,
    qpdf_check,
    run,
)

LEVELS = ["B-B", "B-T", "B-LT", "B-LTA"]


def kadis_request(**changes: object) -> SignatureRequest:
    base = SignatureRequest(
        signer_name="Dr. Rahmat Hidayat, S.Sos., M.Si.",
        nip="197003151995031002",
        position="Kepala DPMPTSP Kabupaten Mempawah",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def dev_signer(dev_pki: DevPki) -> Signer:
    return Signer(TrustConfig.from_dev_pki(dev_pki), TimestampConfig.from_dev_pki(dev_pki))


@pytest.fixture(scope="module")
def signed_by_level(dev_pki: DevPki, dev_signer: Signer) -> dict[str, bytes]:
    key = load_pkcs12(dev_pki.kadis_p12, PASSPHRASE)
    pdf = make_pdf(pages=2)
    out = {}
    for level in LEVELS:
        result = dev_signer.sign(pdf, key, kadis_request(level=level))
        assert result.level == level
        assert result.pdf.startswith(pdf)
        out[level] = result.pdf
    return out


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_is_valid_for_pdfsig_qpdf_and_pyhanko_ades(
    level: str, signed_by_level: dict[str, bytes], dev_pki: DevPki, tmp_path: Path
) -> None:
    pdf = signed_by_level[level]
    valid, total, out = pdfsig_valid_count(pdf, tmp_path)
    assert valid == 1, out  # pdfsig checks the signature's integrity (not doc timestamps)
    code, out = qpdf_check(pdf, tmp_path)
    assert code == 0, out
    assert "No syntax or stream encoding errors found" in out
    assert pyhanko_ades_status(pdf, dev_pki, level) == "PASSED"
    report = verify_pdf(pdf, TrustConfig.from_dev_pki(dev_pki))
    assert report.status == "VALID", report.to_dict()
    (signature,) = [s for s in report.signatures if s.kind == "signature"]
    assert signature.level == level
    assert signature.intact and signature.trusted and signature.certified
    assert signature.revocation_data_found
    assert "Rahmat Hidayat" in (signature.signer_subject or "")
    assert signature.chain[0].startswith("Common Name: Pintu Dev Root CA")


def test_b_lta_verifies_offline_from_embedded_data_only(
    signed_by_level: dict[str, bytes], dev_pki: DevPki
) -> None:
    pdf = signed_by_level["B-LTA"]
    assert pyhanko_ades_status(pdf, dev_pki, "B-LTA", with_crls=False) == "PASSED"
    trust_without_crls = dataclasses.replace(TrustConfig.from_dev_pki(dev_pki), crls=())
    report = verify_pdf(pdf, trust_without_crls)
    assert report.status == "VALID", report.to_dict()
    kinds = [s.kind for s in report.signatures]
    assert kinds == ["signature", "document_timestamp"]
    assert report.signatures[0].changed_after == "lta_updates"


def test_b_lt_carries_its_own_revocation_data(
    signed_by_level: dict[str, bytes], dev_pki: DevPki
) -> None:
    trust_without_crls = dataclasses.replace(TrustConfig.from_dev_pki(dev_pki), crls=())
    assert verify_pdf(signed_by_level["B-LT"], trust_without_crls).status == "VALID"


def test_b_b_without_revocation_data_is_indeterminate_not_valid(
    signed_by_level: dict[str, bytes], dev_pki: DevPki
) -> None:
    trust_without_crls = dataclasses.replace(TrustConfig.from_dev_pki(dev_pki), crls=())
    report = verify_pdf(signed_by_level["B-B"], trust_without_crls)
    assert report.status == "INDETERMINATE"
    assert not report.signatures[0].revocation_data_found


@pytest.mark.parametrize("level", ["B-B", "B-LTA"])
def test_a_byte_changed_after_signing_is_detected_by_both_validators(
    level: str, signed_by_level: dict[str, bytes], dev_pki: DevPki, tmp_path: Path
) -> None:
    pdf = bytearray(signed_by_level[level])
    at = pdf.index(b"Sertifikat Standar (uji) - 1")
    pdf[at] = ord("Z")
    tampered = bytes(pdf)
    valid, total, out = pdfsig_valid_count(tampered, tmp_path)
    assert total >= 1 and valid == 0, out
    report = verify_pdf(tampered, TrustConfig.from_dev_pki(dev_pki))
    assert report.status == "INVALID"
    assert not report.signatures[0].intact


def test_wrong_passphrase_is_refused(dev_pki: DevPki) -> None:
    with pytest.raises(WrongPassphrase) as caught:
        load_pkcs12(dev_pki.kadis_p12, "bukan-passphrase")
    assert caught.value.code == "wrong_passphrase"
    assert caught.value.http_status in (403, 422)


def test_a_file_that_is_not_pkcs12_is_refused() -> None:
    with pytest.raises(InvalidKeyFile):
        load_pkcs12(b"%PDF-1.7 not a key store", PASSPHRASE)


def test_unsigned_pdf_is_indeterminate_with_no_signature(dev_pki: DevPki) -> None:
    report = verify_pdf(make_pdf(), TrustConfig.from_dev_pki(dev_pki))
    assert report.status == "INDETERMINATE"
    assert report.no_signature
    assert report.to_dict()["signature_count"] == 0


def test_garbage_is_not_a_pdf(dev_pki: DevPki, dev_signer: Signer) -> None:
    with pytest.raises(InvalidPdf):
        verify_pdf(b"not a pdf at all", TrustConfig.from_dev_pki(dev_pki))
    key = load_pkcs12(dev_pki.kadis_p12, PASSPHRASE)
    with pytest.raises(InvalidPdf):
        dev_signer.sign(b"%PDF-1.7\nbroken", key, kadis_request(level="B-B"))


@pytest.mark.parametrize(
    ("label", "reason"),
    [("kadis-revoked", "dicabut"), ("kadis-expired", "tidak berlaku"), ("rogue-signer", "tidak")],
)
def test_revoked_expired_or_untrusted_certificates_cannot_sign(
    label: str, reason: str, dev_pki: DevPki, dev_signer: Signer
) -> None:
    key = load_pkcs12(dev_pki.test_signer_p12(label), PASSPHRASE)
    with pytest.raises(CertificateNotUsable) as caught:
        dev_signer.sign(make_pdf(), key, kadis_request(level="B-B"))
    assert reason in (caught.value.detail_id or "")


def test_stamp_is_on_the_last_page_with_embedded_font_and_aligned_producer(
    signed_by_level: dict[str, bytes], tmp_path: Path
) -> None:
    pdf = signed_by_level["B-LTA"]
    # the test input's own Helvetica is not embedded; everything the stamp added must be
    assert fonts_not_embedded(make_pdf(pages=2), tmp_path) == fonts_not_embedded(pdf, tmp_path)
    assert "NimbusSans" in run(["pdffonts"], pdf, tmp_path)[1]
    reader = PdfFileReader(io.BytesIO(pdf))
    sig = reader.embedded_signatures[0]
    kids = reader.root["/Pages"]["/Kids"]
    assert sig.sig_field.raw_get("/P").idnum == kids.raw_get(len(kids) - 1).idnum
    info_producer = str(reader.trailer["/Info"]["/Producer"])
    assert info_producer.startswith("pyHanko")


def test_default_level_is_b_lta_with_a_tsa_and_b_b_without(dev_pki: DevPki) -> None:
    trust = TrustConfig.from_dev_pki(dev_pki)
    assert Signer(trust, TimestampConfig.from_dev_pki(dev_pki)).default_level == "B-LTA"
    assert Signer(trust).default_level == "B-B"


def test_qr_stamp_and_hostile_stamp_text_still_verify(
    dev_pki: DevPki, dev_signer: Signer, tmp_path: Path
) -> None:
    key = load_pkcs12(dev_pki.kadis_p12, PASSPHRASE)
    hostile = "Rahmat\u202e<script>alert(1)</script>\x00 file:///etc/passwd " + "x" * 100_000
    result = dev_signer.sign(
        make_pdf(),
        key,
        kadis_request(
            level="B-B",
            signer_name=hostile,
            qr_url="https://pintu.mempawahkab.go.id/verifikasi/01JD7Q2K",
        ),
    )
    assert pdfsig_valid_count(result.pdf, tmp_path)[0] == 1
    assert verify_pdf(result.pdf, TrustConfig.from_dev_pki(dev_pki)).status == "VALID"
    reader = PdfFileReader(io.BytesIO(result.pdf))
    name = str(reader.embedded_signatures[0].sig_object["/Name"])
    assert "\u202e" not in name and "\x00" not in name
    assert len(name) <= 150  # the 100k-character name was capped
    assert len(result.pdf) < 100_000


def test_document_timestamp_expiry_is_known_for_ltv_upkeep(
    signed_by_level: dict[str, bytes], dev_pki: DevPki
) -> None:
    assert last_timestamp_expiry(signed_by_level["B-LT"]) is None
    expiry = last_timestamp_expiry(signed_by_level["B-LTA"])
    assert expiry is not None and expiry.year >= 2030


def test_async_verification_inside_an_event_loop(
    signed_by_level: dict[str, bytes], dev_pki: DevPki
) -> None:
    async def inside_loop() -> str:
        report = await verify_pdf_async(signed_by_level["B-T"], TrustConfig.from_dev_pki(dev_pki))
        return report.status

    assert asyncio.run(inside_loop()) == "VALID"
