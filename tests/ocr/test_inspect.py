"""``ocr.inspect``: the upload-time structural check, on what the office receives and on attacks."""

from __future__ import annotations

import io
import time

import pikepdf
import pytest

import ocr
from common.catalogue import text_id
from ocr.errors import FINDING_ERRORS, refusal
from tests.ocr import hostile
from tests.ocr.conftest import DEMO_DIR


def _encrypted(data: bytes, *, user: str = "", revision: int = 6, objstm: bool = True) -> bytes:
    """``data`` encrypted by pikepdf (qpdf) with an owner password and ``user``'s."""
    options = {"aes": revision >= 4, "metadata": revision >= 4}
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(
            out,
            encryption=pikepdf.Encryption(user=user, owner="pemilik", R=revision, **options),
            object_stream_mode=pikepdf.ObjectStreamMode.generate
            if objstm
            else pikepdf.ObjectStreamMode.disable,
        )
    return out.getvalue()


def _rewritten(data: bytes, **save: object) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, **save)
    return out.getvalue()


NIB = (DEMO_DIR / "nib.pdf").read_bytes()
ACCEPTED = {
    "nib.pdf": NIB,
    "ktp.png": (DEMO_DIR / "ktp.png").read_bytes(),
    "npwp.png": (DEMO_DIR / "npwp.png").read_bytes(),
    "object streams": _rewritten(NIB, object_stream_mode=pikepdf.ObjectStreamMode.generate),
    "linearized": _rewritten(NIB, linearize=True),
    "big page": hostile.big_media_box(),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_the_offices_ordinary_documents_are_accepted_with_their_page_count(name):
    info = ocr.inspect(ACCEPTED[name])
    assert refusal(info) is None, info.findings
    assert not info.findings
    assert info.page_count == 1


@pytest.mark.parametrize("revision", [2, 3, 4, 6])
def test_a_pdf_encrypted_with_an_empty_password_opens_with_a_note(revision):
    info = ocr.inspect(_encrypted(NIB, revision=revision, objstm=revision >= 4))
    assert refusal(info) is None
    assert info.encrypted
    assert [f.code for f in info.findings] == ["encrypted_without_password"]
    assert info.page_count == 1  # its page tree read through the decrypted object streams


@pytest.mark.parametrize("revision", [2, 4, 6])
def test_a_pdf_that_needs_a_password_is_refused(revision):
    error = refusal(ocr.inspect(_encrypted(NIB, user="rahasia", revision=revision)))
    assert isinstance(error, ocr.EncryptedDocument)
    assert error.http_status == 422


@pytest.mark.parametrize("revision", [3, 4, 6])
def test_an_empty_password_does_not_hide_active_content(revision):
    data = _encrypted(hostile.embedded_exe(), revision=revision, objstm=True)
    error = refusal(ocr.inspect(data))
    assert isinstance(error, ocr.ActiveContent)
    assert "setup.exe" in error.message and "setup.exe" in (error.detail_id or "")


ACTIVE = {
    "open-action-javascript.pdf": ("javascript", "/OpenAction"),
    "hidden-javascript.pdf": ("javascript", "/Names"),
    "launch-action.pdf": ("launch_action", "/OpenAction"),
    "page-additional-actions.pdf": ("additional_actions", "/AA"),
    "rich-media.pdf": ("rich_media", "/Annots"),
    "xfa-form.pdf": ("xfa_form", "/XFA"),
    "embedded-exe.pdf": ("embedded_file", "setup.exe"),
}


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_active_content_is_refused_by_a_finding_that_names_it(name):
    code, where = ACTIVE[name]
    info = ocr.inspect(hostile.CORPUS[name]())
    finding = next(f for f in info.findings if f.code == code)
    assert finding.refused and where in finding.message
    error = refusal(info)
    assert isinstance(error, ocr.ActiveContent)
    assert error.code == "active_content" and error.http_status == 422
    assert error.detail_id and error.detail_id.startswith("Dokumen PDF berisi")


def test_active_content_is_only_reported_when_the_office_allows_it():
    limits = ocr.ExtractionLimits(refuse_active_content=False)
    info = ocr.inspect(hostile.open_action_javascript(), limits)
    assert refusal(info) is None
    assert [(f.code, f.refused) for f in info.findings] == [("javascript", False)]


def test_a_shifted_xref_is_recognised_and_the_document_still_read():
    data = hostile.shifted_xref()
    info = ocr.inspect(data)
    assert refusal(info) is None
    (finding,) = info.findings
    assert finding.code == "xref_damaged" and "5 of 5" in finding.message
    assert "NOMOR INDUK BERUSAHA" in ocr.extract(data).text


def test_a_page_tree_twice_as_deep_as_allowed_is_refused_at_once():
    start = time.process_time()
    error = refusal(ocr.inspect(hostile.deep_page_tree(200)))
    assert isinstance(error, ocr.MalformedDocument)
    assert time.process_time() - start < 1.0


def test_nesting_just_within_the_limit_is_accepted_and_one_more_level_refused():
    limit = ocr.ExtractionLimits().max_nesting
    # the page dictionary is one level: the array inside it may go limit - 1 deep
    assert refusal(ocr.inspect(hostile.deep_nesting(limit - 1))) is None
    error = refusal(ocr.inspect(hostile.deep_nesting(limit)))
    assert isinstance(error, ocr.MalformedDocument)


def test_a_stream_just_under_the_inflate_cap_passes_and_one_over_is_a_bomb():
    limits = ocr.ExtractionLimits(max_stream_bytes=8 << 20)
    assert refusal(ocr.inspect(hostile.flate_bomb(7), limits)) is None
    error = refusal(ocr.inspect(hostile.flate_bomb(9), limits))
    assert isinstance(error, ocr.DecompressionBomb) and error.http_status == 413


def test_streams_past_the_check_budget_are_noted_not_refused():
    limits = ocr.ExtractionLimits(max_stream_bytes=8 << 20, inflate_check_bytes=4 << 20)
    info = ocr.inspect(hostile.flate_bomb(6), limits)
    assert refusal(info) is None
    assert [f.code for f in info.findings] == ["streams_not_checked"]


def test_too_many_pages_and_frames_are_refused_from_the_structure_alone():
    limits = ocr.ExtractionLimits(max_pages=20)
    assert refusal(ocr.inspect(hostile.many_pages(21), limits)).code == "file_too_large"
    assert refusal(ocr.inspect(hostile.many_pages(20), limits)) is None
    assert refusal(ocr.inspect(hostile.many_frame_tiff(21), limits)).code == "file_too_large"
    assert ocr.inspect(hostile.many_frame_tiff(20), limits).page_count == 20


def test_declared_pixel_size_is_reported_and_capped_before_decoding():
    info = ocr.inspect(hostile.png_bomb(20_000))
    assert info.image_size == (20_000, 20_000)
    assert isinstance(refusal(info), ocr.ImageTooLarge)
    assert ocr.inspect(ACCEPTED["ktp.png"]).image_size == (1011, 638)
    assert ocr.inspect(hostile.huge_media_box()).page_size == (14400 * 75000.0,) * 2


def test_every_finding_code_becomes_a_caller_error_with_a_4xx_status():
    assert set(FINDING_ERRORS) == set(ocr.FINDING_CODES)
    for cls in set(FINDING_ERRORS.values()):
        assert issubclass(cls, ocr.OcrCallerError)
        assert 400 <= cls.http_status < 500
        assert text_id(cls.code).endswith(".")
    codes = [cls.code for cls in {*FINDING_ERRORS.values(), ocr.ReaderLimitExceeded}]
    assert len(codes) == len(set(codes))


def test_inspect_answers_within_a_second_of_cpu_for_the_whole_corpus():
    for name, build in hostile.CORPUS.items():
        data = build()
        start = time.process_time()
        info = ocr.inspect(data)
        spent = time.process_time() - start
        assert spent < 1.0, (name, spent)
        assert all(f.code in ocr.FINDING_CODES for f in info.findings), name
