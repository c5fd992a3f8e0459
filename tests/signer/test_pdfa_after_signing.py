"""The rendered permit stays PDF/A-consistent after signing and after each later increment."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signer import (
    DevPki,
    SignatureRequest,
    Signer,
    TimestampConfig,
    TrustConfig,
    extend_to_lta,
    load_pkcs12,
    render_pdf,
    verify_pdf,
)
from tests.fixtures.pki import PASSPHRASE
from tests.signer._tools import fonts_not_embedded, pdfsig_valid_count, qpdf_check

KADIS = {
    "nama": "Dr. Rahmat Hidayat, S.Sos., M.Si.",
    "nip": "197003151995031002",
    "jabatan": "Kepala Dinas",
}
PERMIT = {
    "nomor": "2711260012345-0001",
    "nama_usaha": "Kafe Sungai Pinyuh Jaya",
    "nib": "2711260012345",
    "alamat_kantor": "Jl. Raya Sungai Pinyuh No. 12, Mempawah",
    "status_penanaman_modal": "PMDN",
    "kbli": [{"kode": "56303", "judul": "Rumah Minum/Kafe"}],
    "lokasi": {"alamat": "Jl. Raya Sungai Pinyuh No. 12", "desa": "Sungai Pinyuh"},
    "tanggal_terbit": date(2026, 11, 27),
    "penandatangan": KADIS,
    "verification_url": "https://pintu.mempawahkab.go.id/verifikasi/01JD7Q2K",
}


def _xmp(pdf: bytes) -> str:
    reader = PdfFileReader(io.BytesIO(pdf))
    return reader.root["/Metadata"].data.decode("utf-8")


def _assert_pdfa_consistent(pdf: bytes, tmp_path: Path) -> None:
    reader = PdfFileReader(io.BytesIO(pdf))
    xmp = _xmp(pdf)
    found = re.search(r"<pdf:Producer>([^<]*)</pdf:Producer>|pdf:Producer=\"([^\"]*)\"", xmp)
    assert found is not None, xmp
    xmp_producer = found.group(1) or found.group(2)
    assert str(reader.trailer["/Info"]["/Producer"]) == xmp_producer
    assert "pdfaid:part" in xmp  # PDF/A identification survives pyHanko's XMP rewrite
    assert "/OutputIntents" in reader.root
    assert fonts_not_embedded(pdf, tmp_path) == []
    code, out = qpdf_check(pdf, tmp_path)
    assert code == 0, out


@pytest.fixture(scope="module")
def rendered_permit() -> bytes:
    from signer.render import signature_box  # the renderer's own module (another package part)

    assert signature_box("sertifikat_standar").page in (-1, 1)
    return render_pdf("sertifikat_standar", PERMIT)


def test_signed_permit_and_its_lta_increment_stay_pdfa_consistent(
    rendered_permit: bytes, dev_pki: DevPki, tmp_path: Path
) -> None:
    from signer.render import signature_box

    box = signature_box("sertifikat_standar")
    trust = TrustConfig.from_dev_pki(dev_pki)
    timestamps = TimestampConfig.from_dev_pki(dev_pki)
    signer = Signer(trust, timestamps)
    request = SignatureRequest(
        signer_name=KADIS["nama"],
        nip=KADIS["nip"],
        position=KADIS["jabatan"],
        page=box.page,
        box=(box.x0, box.y0, box.x1, box.y1),
    )
    signed = signer.sign(rendered_permit, load_pkcs12(dev_pki.kadis_p12, PASSPHRASE), request)
    signer.close()
    assert signed.level == "B-LTA"
    _assert_pdfa_consistent(signed.pdf, tmp_path)
    assert pdfsig_valid_count(signed.pdf, tmp_path)[0] == 1

    upkept, report = extend_to_lta(signed.pdf, trust, timestamps)
    assert upkept.startswith(signed.pdf)
    assert report.status == "VALID"
    _assert_pdfa_consistent(upkept, tmp_path)
    assert verify_pdf(upkept, trust).status == "VALID"
