"""What every rule sees: the declared data, the documents by type, the tables, the day."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ocr import Field
from validator._names import company_form
from validator._region import RegionIndex
from validator.ruleset import RuleSet
from validator.tables import KbliTable
from validator.types import COMPANY_FORMS, Declared, DocumentEvidence, Evidence, Finding, Severity


@dataclass(frozen=True, slots=True)
class FieldRead:
    """One field of one document, or a value of the declared data (``document`` None)."""

    document: DocumentEvidence | None
    name: str
    value: str
    field: Field | None = None

    @property
    def evidence(self) -> Evidence:
        """Where this value comes from."""
        if self.document is None:
            return Evidence(None, None, self.name, self.value)
        page = self.field.page if self.field is not None else None
        return Evidence(self.document.document_id, page, self.name, self.value)

    def low_confidence(self, threshold: float) -> bool:
        """Whether this is an OCR read a person should check (declared data never is)."""
        if self.field is None:
            return False
        return self.field.low_confidence or self.field.confidence < threshold

    @property
    def certain(self) -> bool:
        """Whether this value cannot be a misreading.

        Declared data, a text layer, or two readers agreeing; a single reader, a repaired or a
        doubtful read may be one.
        """
        if self.document is None:
            return True
        return self.field is not None and self.field.certain

    @property
    def how(self) -> str:
        """Bahasa Indonesia phrase saying how the value was obtained (the evidence's kind)."""
        if self.document is None or self.field is None:
            return "diisi pada data permohonan"
        f = self.field
        if f.low_confidence:
            return "dibaca mesin dengan keyakinan rendah"
        if f.repaired:
            return "dibaca mesin dengan perbaikan huruf/angka yang mirip"
        return {
            "text_layer": "dibaca dari lapisan teks PDF",
            "two_readers": "dibaca sama oleh dua pembaca mesin",
            "second_reader": "dibaca berbeda oleh dua pembaca mesin",
        }.get(f.reader, "dibaca oleh satu pembaca mesin")

    @property
    def where(self) -> str:
        """Bahasa Indonesia phrase naming the source, for messages."""
        if self.document is None:
            return "data permohonan"
        return f"{self.document.extraction.doc_type.upper()} ({self.document.file_name})"


class Context:
    """Inputs of one check plus lookups computed once."""

    def __init__(
        self,
        declared: Declared,
        documents: Sequence[DocumentEvidence],
        rules: RuleSet,
        today: date,
    ) -> None:
        self.declared = declared
        self.documents = tuple(documents)
        self.rules = rules
        self.today = today
        self.kbli_table: KbliTable = rules.kbli_in_force(today)
        self.by_type: dict[str, list[DocumentEvidence]] = {}
        for doc in self.documents:
            self.by_type.setdefault(doc.extraction.doc_type, []).append(doc)
        self.findings: list[Finding] = []

    @cached_property
    def region_index(self) -> RegionIndex:
        """The region table indexed for matching."""
        return _region_index(self.rules)

    def add(
        self,
        rule_id: str,
        severity: Severity,
        message: str,
        evidence: Sequence[Evidence] = (),
        *,
        correctable: bool = True,
        basis: str = "",
        unverified: Sequence[str] = (),
    ) -> None:
        """Record a finding (``basis``: why this severity; ``unverified``: table rows used)."""
        self.findings.append(
            Finding(
                rule_id,
                severity,
                message,
                tuple(evidence),
                correctable,
                basis=basis,
                unverified=tuple(unverified),
            )
        )

    def reads(self, name: str, doc_types: Sequence[str] | None = None) -> Iterator[FieldRead]:
        """Every document field ``name`` (optionally only on these document types)."""
        for doc in self.documents:
            if doc_types is not None and doc.extraction.doc_type not in doc_types:
                continue
            found = doc.extraction.fields.get(name)
            if found is None:
                continue
            value = found.value if isinstance(found.value, str) else " ".join(found.value)
            if value.strip():
                yield FieldRead(doc, name, value.strip(), found)

    def low(self, read: FieldRead) -> bool:
        """Whether a read is low-confidence under the rule set's threshold."""
        return read.low_confidence(self.rules.parameters.ocr_confidence_min)

    @cached_property
    def bentuk(self) -> str | None:
        """The business form: declared, else the legal form a business name starts with.

        The names looked at: the declared business name, the NIB's business or holder name, the
        NPWP's and the akta's names.
        """
        if self.declared.bentuk is not None:
            return self.declared.bentuk
        names = [self.declared.nama_usaha or ""]
        names += [r.value for r in self.reads("nama_usaha")]
        names += [r.value for r in self.reads("nama", ("nib", "npwp", "akta_pendirian"))]
        for name in names:
            form = company_form(name)
            if form in COMPANY_FORMS:
                return form
        return "perorangan" if any(names) or self.documents else None

    @property
    def is_company(self) -> bool:
        """Whether the applicant is a company (PT, CV, firma, koperasi, yayasan)."""
        return self.bentuk in COMPANY_FORMS


_INDEX_CACHE: dict[int, tuple[RuleSet, RegionIndex]] = {}


def _region_index(rules: RuleSet) -> RegionIndex:
    # A rule set is immutable: index its region table once per rule set (kept alive here).
    cached = _INDEX_CACHE.get(id(rules.region))
    if cached is not None and cached[0].region is rules.region:
        return cached[1]
    index = RegionIndex.build(rules.region)
    if len(_INDEX_CACHE) > 8:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[id(rules.region)] = (rules, index)
    return index
