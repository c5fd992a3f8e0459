"""The renderer: Jinja2 (sandboxed, autoescaped) -> HTML -> WeasyPrint -> PDF/A-3b."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import qrcode
import weasyprint
from jinja2.sandbox import ImmutableSandboxedEnvironment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError

import signer._render_views as views
from signer._render_data import EMPTY, check_budget
from signer._render_errors import (
    InvalidRenderDataError,
    RenderFailedError,
    ResourceRefusedError,
    UnknownTemplateError,
)
from signer._render_fetch import RefusedResourceError, TemplateFolderFetcher

PDF_VARIANT = "pdf/a-3b"
STYLESHEET = "dokumen.css"
"""The shared stylesheet every template gets (parsed once, again after an edit)."""
SIGNATURE_ANCHOR = "kotak-tanda-tangan"
"""The HTML id of the empty box reserved for the visible signature."""
_PX_TO_PT = 0.75  # WeasyPrint lays out in CSS px (1/96 in); PDF points are 1/72 in
_DRIFT_TOLERANCE_PT = 0.5
_REFUSED_ID = "Templat dokumen meminta sumber di luar folder templat; ditolak."
_WEASYPRINT_LOCK = threading.RLock()
"""Pango's font map is process-global and not thread-safe: two WeasyPrint layouts at once tripped
GLib assertions and then deadlocked here. WeasyPrint is GIL-bound Python anyway, so serialising
its calls costs little; a render from a FastAPI threadpool waits its turn."""


@dataclass(frozen=True, slots=True)
class SignatureBox:
    """The empty rectangle reserved for a visible signature appearance.

    Coordinates are PDF points in PDF user space: origin at the *bottom-left* corner of the
    page, x to the right, y upwards, as pyHanko's ``SigFieldSpec(box=(x0, y0, x1, y1))`` takes
    them (BSrE's ``originX``/``originY`` are ``x0``/``y0``, ``width``/``height`` below).
    """

    page: int
    """1-based page number, or -1 for the last page (the box always sits on the last page)."""
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def rect(self) -> tuple[float, float, float, float]:
        """``(x0, y0, x1, y1)``, the tuple pyHanko's ``SigFieldSpec(box=...)`` takes."""
        return (self.x0, self.y0, self.x1, self.y1)

    def page_number(self, page_count: int) -> int:
        """Return the 1-based page of the box in a document of ``page_count`` pages.

        pyHanko's ``on_page`` is 0-based and accepts -1 as is; BSrE's ``page`` wants a number.
        """
        return page_count if self.page == -1 else self.page

    @property
    def width(self) -> float:
        """Width in points."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Height in points."""
        return self.y1 - self.y0


@dataclass(frozen=True, slots=True)
class _Spec:
    builder: Callable[..., Any]
    has_signature_box: bool
    sample: Mapping[str, Any]
    """Smallest final data for the template: laid out once to measure the signature box."""


_SAMPLE_PEJABAT = {"nama": "Contoh Pejabat", "nip": "197001012000031001", "jabatan": "Kepala"}
SPECS: dict[str, _Spec] = {
    "sertifikat_standar": _Spec(
        views.sertifikat_standar,
        True,
        {
            "nomor": "0000000000000-0001",
            "nama_usaha": "Contoh",
            "nib": "0000000000000",
            "kbli": [{"kode": "56303", "judul": "Rumah Minum/Kafe"}],
            "tanggal_terbit": "2026-01-01",
            "penandatangan": _SAMPLE_PEJABAT,
            "verification_url": "https://pintu.invalid/v/0",
        },
    ),
    "bap": _Spec(views.berita_acara, False, {}),
    "pertimbangan_teknis": _Spec(
        views.pertimbangan_teknis,
        True,
        {
            "nomor": "1",
            "tanggal": "2026-01-01",
            "nomor_bap": "1",
            "rekomendasi": "setuju",
            "penandatangan": _SAMPLE_PEJABAT,
        },
    ),
}


_LOWER_WORDS = frozenset({"dan", "atau", "di", "ke", "dari", "untuk", "yang", "pada", "serta"})


def judul(text: str) -> str:
    """Title-case Indonesian style: conjunctions and prepositions stay lower case."""
    words = text.split()
    return " ".join(
        w.lower() if i and w.lower() in _LOWER_WORDS else w[:1].upper() + w[1:].lower()
        for i, w in enumerate(words)
    )


def spec_of(template: str) -> _Spec:
    """Return the template's spec or raise ``UnknownTemplateError``."""
    spec = SPECS.get(template) if isinstance(template, str) else None
    if spec is None:
        known = ", ".join(SPECS)
        name = str(template)[:80]
        raise UnknownTemplateError(
            f"unknown template {name!r} (known: {known})",
            detail_id=f"Jenis dokumen '{name}' tidak dikenal; pilih salah satu: {known}.",
        )
    return spec


def qr_data_uri(url: str) -> str:
    """Return the QR code of ``url`` as a black-and-white PNG ``data:`` URI.

    PNG rather than SVG: WeasyPrint parses an SVG QR's long path on every draw (~40 ms).
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _refused(template: str, exc: FatalURLFetchingError) -> ResourceRefusedError:
    cause = exc.__cause__
    detail = str(cause) if isinstance(cause, RefusedResourceError) else str(exc)
    return ResourceRefusedError(
        f"template {template!r} asked for a forbidden resource: {detail}", detail_id=_REFUSED_ID
    )


class DocumentRenderer:
    """Renders the documents from one template folder; build once per process and share.

    Holds the Jinja2 environment, WeasyPrint's font configuration, the parsed stylesheet and the
    fetcher (which serves only this folder and ``data:`` URIs). Thread-safe. Edits to the
    templates are picked up without a restart (files are re-read when their mtime changes).
    """

    def __init__(self, template_dir: Path) -> None:
        self.template_dir = template_dir.resolve()
        self._env = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader(self.template_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.globals["kosong"] = EMPTY
        self._env.filters["judul"] = judul
        with _WEASYPRINT_LOCK:
            self._fonts = FontConfiguration()
        self._fetcher = TemplateFolderFetcher(self.template_dir)
        self._base_url = self.template_dir.as_uri() + "/"
        self._lock = threading.Lock()
        self._css: tuple[int, weasyprint.CSS] | None = None
        self._boxes: dict[tuple[str, int], SignatureBox] = {}

    def _edition(self) -> int:
        """Return a number that changes whenever a template file is edited."""
        return max(p.stat().st_mtime_ns for p in self.template_dir.rglob("*") if p.is_file())

    def _stylesheet(self) -> weasyprint.CSS:
        path = self.template_dir / STYLESHEET
        mtime = path.stat().st_mtime_ns
        with self._lock:
            if self._css is None or self._css[0] != mtime:
                css = weasyprint.CSS(
                    url=path.as_uri(), url_fetcher=self._fetcher, font_config=self._fonts
                )
                self._css = (mtime, css)
            return self._css[1]

    def _layout(self, template: str, data: Mapping[str, Any], draft: bool) -> weasyprint.Document:
        spec = spec_of(template)
        if not isinstance(data, Mapping):
            raise InvalidRenderDataError(
                f"render data must be a mapping, got {type(data).__name__}",
                detail_id="Data dokumen harus berupa objek.",
            )
        view = spec.builder(data, draft=draft)  # first: its errors name the field
        check_budget(data)
        url = view.verification_url
        try:
            html = self._env.get_template(f"{template}.html").render(
                doc=view,
                draft=draft,
                qr=qr_data_uri(url) if url else "",
                dibuat=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            )
        except jinja2.TemplateError as exc:
            raise RenderFailedError(f"template {template!r} failed: {exc}") from exc
        try:
            with _WEASYPRINT_LOCK:
                return weasyprint.HTML(
                    string=html, base_url=self._base_url, url_fetcher=self._fetcher
                ).render(font_config=self._fonts, stylesheets=[self._stylesheet()])
        except FatalURLFetchingError as exc:
            raise _refused(template, exc) from exc

    @staticmethod
    def _measure(document: weasyprint.Document, template: str) -> SignatureBox | None:
        pages = document.pages
        for number, page in enumerate(pages, start=1):
            corners = page.anchors.get(SIGNATURE_ANCHOR)
            if corners is None:
                continue
            if number != len(pages):
                raise RenderFailedError(
                    f"template {template!r}: signature box on page {number} of {len(pages)}, "
                    "not on the last page"
                )
            left, top, right, bottom = corners
            return SignatureBox(
                page=-1,
                x0=round(left * _PX_TO_PT, 2),
                y0=round((page.height - bottom) * _PX_TO_PT, 2),
                x1=round(right * _PX_TO_PT, 2),
                y1=round((page.height - top) * _PX_TO_PT, 2),
            )
        return None

    def signature_box(self, template: str) -> SignatureBox:
        """Return where ``template`` reserves the visible signature (measured on its layout)."""
        spec = spec_of(template)
        if not spec.has_signature_box:
            raise UnknownTemplateError(
                f"template {template!r} has no signature box",
                detail_id="Dokumen ini tidak memiliki ruang tanda tangan elektronik.",
            )
        key = (template, self._edition())
        with self._lock:
            box = self._boxes.get(key)
        if box is None:
            box = self._measure(self._layout(template, spec.sample, False), template)
            if box is None:
                raise RenderFailedError(
                    f"template {template!r} lost its #{SIGNATURE_ANCHOR} element"
                )
            with self._lock:
                self._boxes[key] = box
        return box

    def render_pdf(self, template: str, data: Mapping[str, Any], *, draft: bool = False) -> bytes:
        """Render ``template`` with ``data`` as PDF/A-3b bytes."""
        spec = spec_of(template)
        document = self._layout(template, data, draft)
        if spec.has_signature_box:
            box = self._measure(document, template)
            expected = self.signature_box(template)
            if box is None or any(
                abs(a - b) > _DRIFT_TOLERANCE_PT
                for a, b in zip(
                    (box.x0, box.y0, box.x1, box.y1),
                    (expected.x0, expected.y0, expected.x1, expected.y1),
                    strict=True,
                )
            ):
                raise RenderFailedError(
                    f"template {template!r}: signature box missing or moved with the data "
                    f"({box} instead of {expected}); it must sit at a fixed place on the last page"
                )
        try:
            with _WEASYPRINT_LOCK:
                pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
        except FatalURLFetchingError as exc:
            raise _refused(template, exc) from exc
        return pdf
