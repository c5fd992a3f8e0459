"""Reading the rule tables' CSV files: UTF-8, one header row, errors naming file and line."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from validator.errors import RuleTableError


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: its 1-based line number and its cells by (lower-case) column name."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return the stripped cell of ``column`` ('' when the column is absent or empty)."""
        return self.cells.get(column, "").strip()


def decode(data: bytes, source: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line of the first undecodable byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RuleTableError(
            "the file is not UTF-8 text (save it as CSV UTF-8)", source=source, line=line
        ) from exc


def read_rows(
    data: bytes,
    *,
    source: str,
    required: Sequence[tuple[str, ...]],
) -> tuple[dict[str, str], Iterator[CsvRow]]:
    """Parse the header and yield rows.

    ``required`` lists, per needed column, the accepted header names (e.g. ``("code", "kode")``).
    Returns the mapping canonical name -> header name found, and an iterator over the data rows.
    """
    text = decode(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise RuleTableError(
            "the file is empty (a header row is needed)", source=source, line=1
        ) from None
    except csv.Error as exc:
        raise RuleTableError(f"bad CSV: {exc}", source=source, line=1) from exc
    names = [h.strip().lower() for h in header]
    found: dict[str, str] = {}
    for accepted in required:
        match = next((a for a in accepted if a in names), None)
        if match is None:
            raise RuleTableError(
                f"the header has no column {' or '.join(repr(a) for a in accepted)}",
                source=source,
                line=1,
            )
        found[accepted[0]] = match
    if len(set(names)) != len(names):
        raise RuleTableError("the header names a column twice", source=source, line=1)

    def rows() -> Iterator[CsvRow]:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise RuleTableError(
                    f"bad CSV: {exc}", source=source, line=reader.line_num
                ) from exc
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(names):
                raise RuleTableError(
                    f"{len(cells)} cells but the header has {len(names)} columns "
                    "(a comma inside a value needs quotes)",
                    source=source,
                    line=reader.line_num,
                )
            by_name = dict(zip(names, cells, strict=False))
            yield CsvRow(
                reader.line_num,
                {canon: by_name.get(col, "") for canon, col in found.items()}
                | {n: by_name.get(n, "") for n in names},
            )

    return found, rows()
