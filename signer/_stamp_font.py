"""The stamp's font, prepared once per signer and written into each signed PDF as ready bytes.

pyHanko's ``GlyphAccumulator`` parses the font, subsets it to the glyphs a stamp used and compiles
the CFF program again for every signature (about 30 ms here). The stamp only ever needs Latin
text, so the font is reduced to its Latin glyphs once (``reduced_font``), compiled and compressed
once (``StampFontProgram``), and each signature adds that same program with widths and a
ToUnicode map for all of its glyphs. Layout tables are dropped, so a character's glyph and
advance come straight from the ``cmap`` and the glyph widths: no shaping engine is needed.
"""

from __future__ import annotations

import hashlib
import string
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory, ShapeResult
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.writer import BasePdfFileWriter

__all__ = ["StampFont", "StampFontProgram", "reduced_font"]


# pyHanko's generic PDF objects carry no type annotations: build them through these helpers.
def _num(value: float) -> generic.NumberObject:
    return generic.NumberObject(value)  # type: ignore[no-untyped-call]


def _dict(entries: dict[generic.NameObject, generic.PdfObject]) -> generic.DictionaryObject:
    return generic.DictionaryObject(entries)  # type: ignore[no-untyped-call]


_LATIN = [*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2013, 0x2014, 0x2019]
_FLATE = {pdf_name("/Filter"): pdf_name("/FlateDecode")}


def reduced_font(font: Path, folder: Path) -> Path:
    """Copy of ``font`` with Latin glyphs only and no layout tables (written into ``folder``)."""
    options = subset.Options(
        layout_features=[], notdef_outline=True, name_IDs=["*"], desubroutinize=True, hinting=False
    )
    options.drop_tables += ["GPOS", "GSUB", "GDEF", "kern"]
    face = TTFont(str(font))
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=_LATIN)
    subsetter.subset(face)
    target = folder / f"stamp-{font.stem}.otf"
    face.save(str(target))
    return target


def _tag(data: bytes) -> str:
    """Six capital letters derived from the program (the PDF subset tag, stable per font)."""
    digest = hashlib.sha256(data).digest()
    return "".join(string.ascii_uppercase[b % 26] for b in digest[:6])


class _Encoded(generic.PdfObject):
    """A direct PDF object serialised once (the 300-number /W array), written as its bytes."""

    def __init__(self, value: generic.PdfObject) -> None:
        buffer = BytesIO()
        value.write_to_stream(buffer)
        self._encoded = buffer.getvalue()

    def write_to_stream(
        self, stream: BinaryIO, handler: object = None, container_ref: object = None
    ) -> None:
        """Write the bytes (nothing here is encrypted: signed permits are not)."""
        stream.write(self._encoded)


def _widths_array(widths: dict[int, int]) -> generic.ArrayObject:
    """Build the CIDFont /W array: runs of consecutive CIDs as ``first [w1 w2 ...]``."""
    out = generic.ArrayObject()
    run: list[int] = []
    first = previous = -2
    for cid in sorted(widths):
        if cid != previous + 1 and run:
            out += [
                _num(first),
                generic.ArrayObject(map(generic.NumberObject, run)),
            ]
            run = []
        if not run:
            first = cid
        run.append(widths[cid])
        previous = cid
    if run:
        out += [_num(first), generic.ArrayObject(map(generic.NumberObject, run))]
    return out


def _to_unicode_cmap(unicode_of: dict[int, str]) -> bytes:
    """Build a ToUnicode CMap mapping each CID (2 bytes) to its UTF-16BE text."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS2) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS2 def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    pairs = sorted(unicode_of.items())
    for start in range(0, len(pairs), 100):  # at most 100 entries per block
        block = pairs[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{cid:04x}> <{text.encode('utf-16be').hex()}>" for cid, text in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


@dataclass(frozen=True, slots=True)
class StampFontProgram:
    """A CFF font compiled and compressed once, with its metrics, ready to embed as bytes."""

    ps_name: str
    units_per_em: int
    cid_of: dict[int, int]
    """Unicode code point -> CID (= glyph id of the reduced font)."""
    widths: dict[int, int]
    """CID -> advance width in font units."""
    descriptor: dict[str, float]
    widths_encoded: _Encoded
    """The CIDFont's /W array for all glyphs, serialised."""
    cff_deflated: bytes
    to_unicode_deflated: bytes

    @classmethod
    def load(cls, font: Path) -> StampFontProgram:
        """Read a CFF-flavoured OpenType font (as ``reduced_font`` made it) once."""
        face = TTFont(str(font))
        if "CFF " not in face:
            raise ValueError(f"{font} has no CFF outlines (TrueType stamp fonts get wrong widths)")
        order = face.getGlyphOrder()
        gid_of_name = {name: gid for gid, name in enumerate(order)}
        glyphs = face.getGlyphSet(preferCFF=True)
        widths = {gid: int(glyphs[name].width) for gid, name in enumerate(order)}
        cid_of = {cp: gid_of_name[name] for cp, name in face.getBestCmap().items()}
        unicode_of: dict[int, str] = {}
        for cp, cid in sorted(cid_of.items(), reverse=True):
            unicode_of[cid] = chr(cp)  # a glyph mapped from several points: the lowest wins
        buffer = BytesIO()
        face["CFF "].cff.compile(buffer, face)
        cff = buffer.getvalue()
        head, hhea, os2 = face["head"], face["hhea"], face["OS/2"]
        name = face["name"].getDebugName(6) or font.stem
        return cls(
            ps_name=f"{_tag(cff)}+{name}",
            units_per_em=int(head.unitsPerEm),
            cid_of=cid_of,
            widths=widths,
            descriptor={
                "ascent": hhea.ascent,
                "descent": hhea.descent,
                "x_min": head.xMin,
                "y_min": head.yMin,
                "x_max": head.xMax,
                "y_max": head.yMax,
                "stem_v": int(10 + 220 * (os2.usWeightClass - 50) / 900),
                "italic_angle": float(getattr(face["post"], "italicAngle", 0)),
                "cap_height": getattr(os2, "sCapHeight", 750),
            },
            widths_encoded=_Encoded(_widths_array(widths)),
            cff_deflated=zlib.compress(cff, 9),
            to_unicode_deflated=zlib.compress(_to_unicode_cmap(unicode_of), 9),
        )


class _StampFontEngine(FontEngine):
    """Font engine of one stamp: looks glyphs up, writes the prepared program at the end."""

    def __init__(
        self, writer: BasePdfFileWriter, program: StampFontProgram, font_size: int
    ) -> None:
        super().__init__(
            writer, program.ps_name, embedded_subset=False, obj_stream=None, font_size=font_size
        )
        self._program = program
        self._font_ref = writer.allocate_placeholder()
        self._written = False

    def shape(self, txt: str) -> ShapeResult:
        """Glyphs from the cmap (missing ones as .notdef), advancing by their widths."""
        if not txt:
            return ShapeResult(b"", 0, 0)
        program = self._program
        cids = [program.cid_of.get(ord(c), 0) for c in txt]
        advance = sum(program.widths.get(cid, 0) for cid in cids)
        glyphs = "".join(f"{cid:04x}" for cid in cids)
        user_advance = advance / program.units_per_em * self.font_size
        properties = BytesIO()
        _dict({pdf_name("/ActualText"): generic.TextStringObject(txt)}).write_to_stream(properties)
        ops = b"/Span %s BDC [<%s>] TJ %g 0 Td EMC" % (
            properties.getvalue(),
            glyphs.encode("ascii"),
            user_advance,
        )
        return ShapeResult(graphics_ops=ops, x_advance=advance / program.units_per_em, y_advance=0)

    def as_resource(self) -> generic.IndirectObject:
        """Return the Type0 font's reference (its object is written by ``prepare_write``)."""
        return self._font_ref

    def prepare_write(self) -> None:
        """Add the prepared font program, descriptor, CIDFont and Type0 dictionaries."""
        if self._written:
            return
        program, writer = self._program, self.writer
        d = program.descriptor
        font_file = writer.add_object(
            generic.StreamObject(
                {**_FLATE, pdf_name("/Subtype"): pdf_name("/CIDFontType0C")},
                encoded_data=program.cff_deflated,
            )
        )
        descriptor = writer.add_object(
            _dict(
                {
                    pdf_name("/Type"): pdf_name("/FontDescriptor"),
                    pdf_name("/FontName"): pdf_name("/" + program.ps_name),
                    pdf_name("/Ascent"): _num(d["ascent"]),
                    pdf_name("/Descent"): _num(d["descent"]),
                    pdf_name("/FontBBox"): generic.ArrayObject(
                        _num(d[k]) for k in ("x_min", "y_min", "x_max", "y_max")
                    ),
                    pdf_name("/Flags"): _num(0b100000),  # nonsymbolic
                    pdf_name("/StemV"): _num(d["stem_v"]),
                    pdf_name("/ItalicAngle"): _num(d["italic_angle"]),
                    pdf_name("/CapHeight"): _num(d["cap_height"]),
                    pdf_name("/FontFile3"): font_file,
                }
            )
        )
        cid_font = writer.add_object(
            _dict(
                {
                    pdf_name("/Type"): pdf_name("/Font"),
                    pdf_name("/Subtype"): pdf_name("/CIDFontType0"),
                    pdf_name("/BaseFont"): pdf_name("/" + program.ps_name),
                    pdf_name("/CIDSystemInfo"): _dict(
                        {
                            pdf_name("/Registry"): pdf_string("Adobe"),
                            pdf_name("/Ordering"): pdf_string("Identity"),
                            pdf_name("/Supplement"): _num(0),
                        }
                    ),
                    pdf_name("/FontDescriptor"): descriptor,
                    pdf_name("/W"): program.widths_encoded,
                }
            )
        )
        to_unicode = writer.add_object(
            generic.StreamObject(dict(_FLATE), encoded_data=program.to_unicode_deflated)
        )
        type0 = _dict(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type0"),
                pdf_name("/BaseFont"): pdf_name(f"/{program.ps_name}-Identity-H"),
                pdf_name("/Encoding"): pdf_name("/Identity-H"),
                pdf_name("/DescendantFonts"): generic.ArrayObject([cid_font]),
                pdf_name("/ToUnicode"): to_unicode,
            }
        )
        writer.add_object(type0, idnum=self._font_ref.idnum)
        self._written = True


@dataclass(frozen=True, slots=True)
class StampFont(FontEngineFactory):
    """Factory the stamp style takes: every stamp shares one ``StampFontProgram``."""

    program: StampFontProgram
    font_size: int = 10

    def create_font_engine(
        self, writer: BasePdfFileWriter, obj_stream: object = None
    ) -> FontEngine:
        """Return a fresh engine for one document, over the shared program."""
        return _StampFontEngine(writer, self.program, self.font_size)
