"""Hostile applicant text renders as inert text or is refused; the renderer never fetches out."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pdfplumber
import pytest
import weasyprint
from pyhanko.pdf_utils.reader import PdfFileReader
from weasyprint.urls import FatalURLFetchingError

from signer._render_fetch import TemplateFolderFetcher
from signer.render import (
    MAX_FIELD_CHARS,
    MAX_TOTAL_CHARS,
    TEMPLATE_DIR,
    DocumentRenderer,
    InvalidRenderDataError,
    ResourceRefusedError,
    render_pdf,
)
from tests.signer.test_render import BAP, PERTEK, SERTIFIKAT


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802  # http.server's naming
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b"\x89PNG\r\n\x1a\n" if self.path.endswith(".png") else b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def loopback():
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _base(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _hostile(server) -> list[str]:
    base = _base(server)
    return [
        "<script>alert('x')</script>",
        f'<img src="{base}/img.png">',
        f'<link rel="stylesheet" href="{base}/style.css">',
        f"<style>@import url({base}/import.css);</style>",
        '<img src="file:///etc/passwd">',
        "file:///etc/passwd",
        f"{base}/plain-reference",
        f'<iframe src="{base}/frame"></iframe>',
        f'<object data="{base}/object.png"></object>',
        "{{ 'zq' * 3 }} {% raw %}",
        "]]></x><!--",
    ]


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


@pytest.mark.parametrize("template", ["sertifikat_standar", "bap", "pertimbangan_teknis"])
def test_markup_and_references_in_every_field_render_as_text_and_fetch_nothing(loopback, template):
    hostile = _hostile(loopback)
    joined = " ".join(hostile)
    loopback.hits.clear()
    data = {
        "sertifikat_standar": {
            **SERTIFIKAT,
            "nama_usaha": joined,
            "alamat_kantor": hostile[1],
            "kbli": [{"kode": "56303", "judul": s} for s in hostile],
            "lokasi": {"alamat": hostile[2], "desa": hostile[4], "kecamatan": hostile[5]},
            "penandatangan": {**SERTIFIKAT["penandatangan"], "nama": hostile[0]},
            "instansi": {"alamat": hostile[3], "kontak": hostile[6]},
            "verification_url": f"{_base(loopback)}/verify?id=1",
        },
        "bap": {
            **BAP,
            "nama_usaha": joined,
            "dasar_hukum": hostile,
            "checklist": [{"persyaratan": s, "status": s, "catatan": s} for s in hostile],
            "temuan": [{"rule_id": s, "severity": s, "message": s} for s in hostile],
            "catatan": joined,
            "verification_url": f"{_base(loopback)}/verify?id=2",
        },
        "pertimbangan_teknis": {
            **PERTEK,
            "kepada": hostile[1],
            "analisis": hostile,
            "syarat": hostile,
            "verification_url": f"{_base(loopback)}/verify?id=3",
        },
    }[template]
    text = _text(render_pdf(template, data))
    flat = "".join(text.split())
    for item in ("<script>alert('x')</script>", "file:///etc/passwd", "{{'zq'*3}}{%raw%}"):
        assert "".join(item.split()) in flat, item
    assert "zqzqzq" not in flat  # the Jinja expression was not evaluated
    assert loopback.hits == []


def test_the_verification_url_may_point_anywhere_http_but_is_only_linked_never_fetched(loopback):
    loopback.hits.clear()
    pdf = render_pdf(
        "sertifikat_standar", {**SERTIFIKAT, "verification_url": f"{_base(loopback)}/v/1"}
    )
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert {link["uri"] for link in doc.pages[0].hyperlinks} == {f"{_base(loopback)}/v/1"}
    assert loopback.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "https://pintu.example/v/1 onclick=alert(1)",
        "//pintu.example/v/1",
        "https://pintu.example/" + "a" * 600,
    ],
)
def test_a_verification_url_that_is_not_plain_http_is_refused(url):
    with pytest.raises(InvalidRenderDataError) as caught:
        render_pdf("sertifikat_standar", {**SERTIFIKAT, "verification_url": url})
    assert "verification_url" in caught.value.detail_id


def test_100k_characters_in_a_field_are_refused_with_a_clear_error(loopback):
    loopback.hits.clear()
    with pytest.raises(InvalidRenderDataError) as caught:
        render_pdf("bap", {**BAP, "nama_usaha": "A" * 100_000})
    assert caught.value.code == "render_invalid_data"
    assert caught.value.http_status == 422
    assert "nama_usaha" in caught.value.detail_id
    assert "100000" in caught.value.detail_id and str(MAX_FIELD_CHARS) in caught.value.detail_id
    with pytest.raises(InvalidRenderDataError):
        render_pdf("bap", {**BAP, "checklist": [{"persyaratan": "KTP"}] * 10_000})


def test_a_long_field_within_the_limit_renders_and_wraps():
    long_name = "Koperasi Produsen Nelayan Sejahtera Bersama " * 40
    assert len(long_name) <= MAX_FIELD_CHARS
    text = "".join(
        _text(render_pdf("sertifikat_standar", {**SERTIFIKAT, "nama_usaha": long_name})).split()
    )
    assert "".join(long_name.split()) in text


def test_bidi_overrides_and_control_characters_are_removed():
    spoof = "Kafe \u202egnidlohD\u202c Jaya\u2066\u200f\x00\x07"
    pdf = render_pdf("sertifikat_standar", {**SERTIFIKAT, "nama_usaha": spoof})
    text = _text(pdf)
    assert "Kafe gnidlohD Jaya" in text
    for ch in "\u202e\u202c\u2066\u200f\x00\x07":
        assert ch not in text
    assert b"\xe2\x80\xae" not in pdf  # no U+202E anywhere, e.g. in XMP metadata


def test_arabic_script_text_is_kept_in_logical_order():
    text = _text(render_pdf("sertifikat_standar", {**SERTIFIKAT, "nama_usaha": "Toko سلام Jaya"}))
    assert "Toko" in text and "Jaya" in text


@pytest.mark.parametrize(
    "reference",
    [
        "{base}/x.png",
        "https://127.0.0.1:1/x.png",
        "file:///etc/passwd",
        "file://{templates}/../render.py",
        "ftp://127.0.0.1/x.png",
    ],
)
def test_the_fetcher_refuses_anything_outside_the_template_folder(loopback, reference):
    loopback.hits.clear()
    url = reference.format(base=_base(loopback), templates=TEMPLATE_DIR.as_posix())
    fetcher = TemplateFolderFetcher(TEMPLATE_DIR)
    html = weasyprint.HTML(string=f'<img src="{url}">', url_fetcher=fetcher)
    with pytest.raises(FatalURLFetchingError):
        html.write_pdf()
    assert loopback.hits == []


def test_the_fetcher_serves_template_files_and_data_uris():
    fetcher = TemplateFolderFetcher(TEMPLATE_DIR)
    logo = fetcher.fetch((TEMPLATE_DIR / "assets" / "logo.svg").as_uri())
    assert logo.content_type == "image/svg+xml" and b"<svg" in logo.read()
    assert fetcher.fetch("data:text/plain;base64,UGludHU=").read() == b"Pintu"


def test_an_edited_template_asking_for_the_network_fails_loudly(loopback, tmp_path: Path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATE_DIR, folder)
    page = folder / "bap.html"
    page.write_text(
        page.read_text().replace(
            "{% block isi %}", f'{{% block isi %}}<img src="{_base(loopback)}/tracker.png">', 1
        )
    )
    loopback.hits.clear()
    with pytest.raises(ResourceRefusedError) as caught:
        DocumentRenderer(folder).render_pdf("bap", BAP)
    assert caught.value.code == "render_resource_refused"
    assert "tracker.png" in caught.value.message
    assert loopback.hits == []


def test_markup_in_the_number_cannot_break_the_xmp_metadata(tmp_path):
    nomor = "</rdf:li>&<x>\"' ]]> <?xpacket end='w'?>"
    pdf = render_pdf("sertifikat_standar", {**SERTIFIKAT, "nomor": nomor})
    reader = PdfFileReader(io.BytesIO(pdf))
    xmp = ET.fromstring(reader.root["/Metadata"].get_object().data)
    titles = [el.text for el in xmp.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")]
    assert f"Sertifikat Standar {nomor}" in titles
    assert str(reader.trailer["/Info"]["/Title"]) == f"Sertifikat Standar {nomor}"
    path = tmp_path / "ss.pdf"
    path.write_bytes(pdf)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, timeout=60)
    assert check.returncode == 0


def test_a_document_too_long_in_total_is_refused():
    findings = [{"rule_id": "r", "severity": "info", "message": "x" * 1900}] * 40
    assert MAX_TOTAL_CHARS < 1900 * 40  # each field within its limit, the whole over budget
    with pytest.raises(InvalidRenderDataError) as caught:
        render_pdf("bap", {**BAP, "temuan": findings})
    assert str(MAX_TOTAL_CHARS) in caught.value.detail_id


def test_deeply_nested_data_is_refused():
    nested: dict = {"x": "y"}
    for _ in range(50):
        nested = {"x": nested}
    with pytest.raises(InvalidRenderDataError):
        render_pdf("bap", {**BAP, "pemilik": nested})


def test_characters_no_document_font_covers_become_replacement_marks(tmp_path):
    # Drawing .notdef would break PDF/A; Thai and CJK are not in DejaVu, Indonesian and Arabic are.
    pdf = render_pdf("sertifikat_standar", {**SERTIFIKAT, "nama_usaha": "Toko 漢字 ก Jaya ё"})
    text = _text(pdf)
    assert "Toko \ufffd\ufffd \ufffd Jaya ё" in text
    path = tmp_path / "ss.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, timeout=60)
    assert all(" yes " in row for row in fonts.stdout.splitlines()[2:])
