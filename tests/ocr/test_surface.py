from __future__ import annotations

import io
import json

import pytest
from PIL import Image

import ocr
from ocr.types import DEFAULT_LIMITS
from tests.ocr.conftest import DEMO_DIR


def test_public_surface_is_exactly_what_all_lists():
    public = {name for name in dir(ocr) if not name.startswith("_")}
    modules = {"errors", "types"}
    assert set(ocr.__all__) == public - modules


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\xef\xbb\xbf junk before the header %PDF-1.4", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"II*\x00\x08\x00\x00\x00", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
    ],
)
def test_sniff_reads_the_type_from_the_bytes(data, mime):
    assert ocr.sniff(data) == mime


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04zip", b"<html>", b"GIF89a"])
def test_sniff_refuses_other_types_with_an_indonesian_reason(data):
    with pytest.raises(ocr.UnsupportedFileType) as info:
        ocr.sniff(data)
    assert info.value.http_status == 415
    assert info.value.detail_id


def test_extraction_json_has_the_cli_shape():
    result = ocr.extract((DEMO_DIR / "nib.pdf").read_bytes())
    data = result.to_json()
    assert {"sha256", "doc_type", "pages", "fields"} <= set(data)
    assert data["pages"][0] == {
        "number": 1,
        "source": "text",
        "mean_confidence": 1.0,
        "unreadable": False,
        "reason": None,
    }
    nib = data["fields"]["nib"]
    assert set(nib) >= {"value", "confidence", "page", "bbox"}
    assert isinstance(data["fields"]["kbli"]["value"], list)
    json.dumps(data)  # serialisable as is


def test_page_text_survives_a_json_round_trip_as_a_celery_result_would():
    data = (DEMO_DIR / "ktp.png").read_bytes()
    page = ocr.read_page(data, 1)
    again = ocr.PageText.from_json(json.loads(json.dumps(page.to_json())))
    assert again == page


def test_per_page_api_gives_the_same_extraction_as_extract():
    data = (DEMO_DIR / "nib.pdf").read_bytes()
    info = ocr.open_document(data)
    pages = [ocr.read_page(data, n) for n in reversed(range(1, info.page_count + 1))]
    import hashlib

    assembled = ocr.assemble(hashlib.sha256(data).hexdigest(), info.mime, pages)
    assert assembled == ocr.extract(data)


def test_a_page_past_its_time_limit_is_reported_unreadable_not_raised():
    data = (DEMO_DIR / "ktp.png").read_bytes()
    limits = ocr.ExtractionLimits(page_timeout_s=0.01)
    page = ocr.read_page(data, 1, limits)
    assert page.unreadable
    assert "exceeded" in (page.reason or "")
    result = ocr.extract(data, limits=limits)
    assert result.pages[0].unreadable
    assert result.fields == {}


def test_multi_page_tiff_reads_every_frame():
    frames = [Image.open(DEMO_DIR / name).convert("L") for name in ("ktp.png", "npwp.png")]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    data = buf.getvalue()
    info = ocr.open_document(data)
    assert (info.mime, info.page_count, info.image_size) == ("image/tiff", 2, (1011, 638))
    result = ocr.extract(data)
    assert [p.number for p in result.pages] == [1, 2]
    assert result.fields["nik"].value == "6102015205880003"
    assert result.fields["npwp"].value == "712345677704000"
    assert result.fields["npwp"].page == 2


def test_heic_photo_is_read():
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buf = io.BytesIO()
    Image.open(DEMO_DIR / "ktp.png").convert("RGB").save(buf, format="HEIF", quality=90)
    result = ocr.extract(buf.getvalue())
    assert result.mime == "image/heic"
    assert result.doc_type == "ktp"
    assert result.fields["nik"].value == "6102015205880003"


def test_upload_over_the_byte_cap_is_refused_before_parsing():
    data = (DEMO_DIR / "nib.pdf").read_bytes()
    with pytest.raises(ocr.FileTooLarge):
        ocr.extract(data, limits=ocr.ExtractionLimits(max_bytes=len(data) - 1))


def test_document_over_the_page_cap_is_refused():
    data = (DEMO_DIR / "nib.pdf").read_bytes()
    with pytest.raises(ocr.FileTooLarge):
        ocr.open_document(data, ocr.ExtractionLimits(max_pages=0))


def test_image_over_the_pixel_cap_is_refused():
    data = (DEMO_DIR / "ktp.png").read_bytes()
    with pytest.raises(ocr.ImageTooLarge):
        ocr.extract(data, limits=ocr.ExtractionLimits(max_pixels=1000 * 600))


def test_default_limits_match_the_documented_values():
    assert ocr.ExtractionLimits() == DEFAULT_LIMITS
    assert DEFAULT_LIMITS.max_bytes == 25 * 1024 * 1024
    assert DEFAULT_LIMITS.max_pages == 200
    assert DEFAULT_LIMITS.dpi == 300
