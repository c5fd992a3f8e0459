"""Render Pintu's documents as PDF/A-3b: Sertifikat Standar, BAP and Pertimbangan Teknis.

``render_pdf(template, data, draft=False)`` takes plain data (dicts, lists, str, int, dates) and
returns PDF/A-3b bytes with every font embedded (DejaVu, installed by ``fonts-dejavu-core``), the
regional header and logo, a QR code carrying ``verification_url`` (also a link annotation), and
a "DRAF" watermark on every page of a draft. Templates are Jinja2 + HTML/CSS files in
``signer/templates/`` that the office may edit; WeasyPrint lays them out.

Safety: every text value is sanitised (control characters and bidi overrides removed, at most
``MAX_FIELD_CHARS`` characters, lists at most ``MAX_LIST_ITEMS`` items, ``MAX_TOTAL_CHARS`` in
all) and HTML-escaped by Jinja2's autoescape in a sandboxed environment; WeasyPrint may only load
files under the template folder and ``data:`` URIs (no network, no other file): a template that
asks for more fails with ``ResourceRefusedError``. A final (``draft=False``) document must carry
its required fields. WeasyPrint calls are serialised by a process-wide lock (Pango is not
thread-safe), so rendering from several threads is safe.

Data shapes (every key optional unless marked *final*: required when ``draft=False``):

- ``sertifikat_standar``: ``nomor``*, ``nama_usaha``*, ``nib``*, ``alamat_kantor``,
  ``status_penanaman_modal`` (PMDN/PMA), ``kbli``* ``[{kode, judul}]``, ``lokasi {alamat, desa,
  kecamatan}`` (or a string), ``status_standar`` (default "Terverifikasi"), ``pernyataan``,
  ``dasar_penerbitan``, ``tanggal_terbit``* (date or ISO string), ``penandatangan {nama*, nip,
  jabatan}``, ``verification_url``* (absolute http(s)), ``instansi``.
- ``bap``: ``nomor``*, ``tanggal``*, ``dasar_hukum [str]``, ``tim``* ``[{nama, nip, jabatan}]``,
  ``nama_usaha``, ``nib``, ``pemilik {nama, nik}``, ``kbli``, ``lokasi``, ``checklist
  [{persyaratan | dokumen, status, catatan}]`` (status codes such as ada/tidak_ada/sesuai/
  tidak_sesuai/memenuhi or booleans are shown as Indonesian labels; other text as is), ``temuan
  [{rule_id, severity, message}]``, ``kesimpulan``* (memenuhi | perlu_perbaikan | tidak_memenuhi),
  ``sumber_data [{data, sumber}]`` (where each value came from), ``versi_aturan [{tabel, versi}]``
  (the rule tables the check used), ``catatan``, ``mengetahui {nama, nip, jabatan}``,
  ``verification_url``, ``instansi``.
- ``pertimbangan_teknis``: ``nomor``*, ``tanggal``*, ``kepada`` (str or ``{nama, jabatan}``,
  default the Kadis), ``nomor_bap``*, ``tanggal_bap``, ``nama_usaha``, ``nib``, ``kbli``,
  ``analisis [str]``, ``rekomendasi``* (setuju | tolak | perbaiki), ``syarat [str]``,
  ``penandatangan {nama*, nip, jabatan}``, ``verification_url``, ``instansi``.
- ``instansi`` (header, all optional): ``pemerintah``, ``nama``, ``alamat``, ``kontak``, ``kota``;
  defaults: Pemerintah Kabupaten Mempawah, its DPMPTSP, Mempawah.

Signature area: the Sertifikat Standar and the Pertimbangan Teknis leave an empty box in the signer
block at a fixed place on their last page; ``signature_box(template)`` gives it in PDF user space
(points, origin bottom-left, as pyHanko's field boxes and BSrE's originX/originY use), measured on
a layout of the template itself, and every render checks the box is still there, unmoved.

``render_pdf`` and ``signature_box`` use one process-wide ``DocumentRenderer`` over
``TEMPLATE_DIR``, built on first use; an office that keeps its edited templates elsewhere builds
its own ``DocumentRenderer(folder)`` (a copy of ``TEMPLATE_DIR`` with the same file names).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from signer._render_data import MAX_FIELD_CHARS, MAX_LIST_ITEMS, MAX_TOTAL_CHARS
from signer._render_engine import SPECS, DocumentRenderer, SignatureBox
from signer._render_errors import (
    InvalidRenderDataError,
    RenderError,
    RenderFailedError,
    ResourceRefusedError,
    UnknownTemplateError,
)

__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_LIST_ITEMS",
    "MAX_TOTAL_CHARS",
    "TEMPLATES",
    "TEMPLATE_DIR",
    "DocumentRenderer",
    "InvalidRenderDataError",
    "RenderError",
    "RenderFailedError",
    "ResourceRefusedError",
    "SignatureBox",
    "UnknownTemplateError",
    "default_renderer",
    "render_pdf",
    "signature_box",
]

TEMPLATE_DIR = Path(__file__).resolve().with_name("templates")
"""The folder of the shipped templates and their assets; the renderer loads nothing outside it."""
TEMPLATES: tuple[str, ...] = tuple(SPECS)
"""The documents Pintu renders."""

_lock = threading.Lock()
_default: DocumentRenderer | None = None


def default_renderer() -> DocumentRenderer:
    """Return the process-wide renderer over ``TEMPLATE_DIR`` (built on first use)."""
    global _default  # lazily built once per process, under a lock
    with _lock:
        if _default is None:
            _default = DocumentRenderer(TEMPLATE_DIR)
        return _default


def render_pdf(template: str, data: Mapping[str, Any], *, draft: bool = False) -> bytes:
    """Render ``template`` with ``data`` as PDF/A-3b bytes (shapes in the module docstring)."""
    return default_renderer().render_pdf(template, data, draft=draft)


def signature_box(template: str) -> SignatureBox:
    """Return the template's reserved signature rectangle (last page, PDF points, bottom-left)."""
    return default_renderer().signature_box(template)
