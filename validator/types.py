"""The validator's input and output types.

Input: the applicant's declared data (:class:`Declared`, DOMAIN.md "Application data") and one
:class:`DocumentEvidence` per uploaded document (the OCR extraction plus, when the workflow has
verified a PDF signature, a :class:`SignatureEvidence`). Output: a :class:`Report` of
:class:`Finding` values and a verdict.

Verdict rule (:func:`verdict_for`):

- no blocking finding → ``memenuhi`` (warnings and info go to the BAP for the Tim Teknis);
- a blocking finding the applicant cannot fix in this application (``correctable=False``: a KBLI
  outside the office's authority, a business outside the regency, a risk level the SS process does
  not serve) → ``tidak_memenuhi``: the request is refused and may be filed again elsewhere;
- otherwise (every blocking finding is something the applicant can fix: a missing document, a
  malformed number, names that disagree) → ``perlu_perbaikan``: returned for correction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, cast

from validator.errors import ApplicationDataError

if TYPE_CHECKING:
    from ocr import Extraction

Severity = Literal["blocking", "warning", "info"]
Verdict = Literal["memenuhi", "perlu_perbaikan", "tidak_memenuhi"]
Bentuk = Literal["perorangan", "pt", "cv", "firma", "koperasi", "yayasan"]
Skala = Literal["mikro", "kecil", "menengah", "besar"]
Risiko = Literal["R", "MR", "MT", "T"]

BENTUK_VALUES: tuple[str, ...] = ("perorangan", "pt", "cv", "firma", "koperasi", "yayasan")
COMPANY_FORMS: frozenset[str] = frozenset({"pt", "cv", "firma", "koperasi", "yayasan"})
SKALA_VALUES: tuple[str, ...] = ("mikro", "kecil", "menengah", "besar")
RISIKO_VALUES: tuple[str, ...] = ("R", "MR", "MT", "T")
KEWENANGAN_VALUES: tuple[str, ...] = ("00", "01", "02")
PENANAMAN_MODAL_VALUES: tuple[str, ...] = ("PMDN", "PMA")


@dataclass(frozen=True, slots=True)
class Person:
    """The owner, or the director for a company."""

    nama: str | None = None
    nik: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """The business location as declared (not the owner's home address)."""

    alamat: str | None = None
    desa: str | None = None
    kecamatan: str | None = None
    kabupaten: str | None = None


@dataclass(frozen=True, slots=True)
class KbliClaim:
    """One KBLI line of the application, as the OSS checklist sends it."""

    kode: str
    judul: str | None = None
    risiko: Risiko | None = None
    kewenangan: str | None = None
    """OSS authority code: ``00`` Pusat, ``01`` Provinsi, ``02`` Kabupaten/Kota."""
    kd_daerah: str | None = None
    """10-digit Kemendagri region code sent by OSS."""


@dataclass(frozen=True, slots=True)
class Declared:
    """The application data (DOMAIN.md); every key optional where documents can supply it."""

    nama_usaha: str | None = None
    bentuk: Bentuk | None = None
    skala: Skala | None = None
    status_penanaman_modal: Literal["PMDN", "PMA"] | None = None
    nib: str | None = None
    npwp: str | None = None
    pemilik: Person = field(default_factory=Person)
    lokasi: Location = field(default_factory=Location)
    kbli: tuple[KbliClaim, ...] = ()
    from_oss: bool = False
    """True only when the data came from OSS itself (its integration, or an OSS document whose
    signature verifies); only then do ``kewenangan``/``kd_daerah`` decide authority."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Declared:
        """Build from the application JSON shape; raise ApplicationDataError on a bad shape."""
        return _parse_declared(data)

    def to_json(self) -> dict[str, Any]:
        """Return the application JSON shape (keys with no value left out)."""
        out: dict[str, Any] = {}
        for key in ("nama_usaha", "bentuk", "skala", "status_penanaman_modal", "nib", "npwp"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        pemilik = {k: v for k, v in (("nama", self.pemilik.nama), ("nik", self.pemilik.nik)) if v}
        if pemilik:
            out["pemilik"] = pemilik
        lokasi = {
            k: getattr(self.lokasi, k)
            for k in ("alamat", "desa", "kecamatan", "kabupaten")
            if getattr(self.lokasi, k) is not None
        }
        if lokasi:
            out["lokasi"] = lokasi
        if self.kbli:
            out["kbli"] = [
                {
                    k: getattr(claim, k)
                    for k in ("kode", "judul", "risiko", "kewenangan", "kd_daerah")
                    if getattr(claim, k) is not None
                }
                for claim in self.kbli
            ]
        if self.from_oss:
            out["from_oss"] = True
        return out


@dataclass(frozen=True, slots=True)
class SignatureEvidence:
    """What the workflow learned from verifying a PDF signature (mapped from signer's report)."""

    intact: bool
    """The signed bytes hash to the signed digest."""
    trusted: bool
    """The signer's certificate chains to a trusted root (revocation as the verifier requires)."""
    signer: str | None = None
    signing_time: datetime | None = None
    modified_after_signing: bool = False
    """Changes beyond the signed revision (other than allowed ones such as later timestamps)."""
    status: str = ""
    """The verifier's overall word, e.g. VALID, INDETERMINATE, INVALID, NO_SIGNATURE."""


@dataclass(frozen=True, slots=True)
class DocumentEvidence:
    """One uploaded requirement document as the rules see it."""

    document_id: str
    file_name: str
    extraction: Extraction
    signature: SignatureEvidence | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a finding comes from: a document, or the declared data (``document_id`` None)."""

    document_id: str | None
    page: int | None = None
    """Pages count from 1."""
    field: str | None = None
    value: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "document_id": self.document_id,
            "page": self.page,
            "field": self.field,
            "value": self.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Evidence:
        """Rebuild from ``to_json`` output."""
        page = data.get("page")
        return cls(
            document_id=data.get("document_id"),
            page=int(page) if page is not None else None,
            field=data.get("field"),
            value=data.get("value"),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of one rule, with a message in Bahasa Indonesia for the Tim Teknis."""

    rule_id: str
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...] = ()
    correctable: bool = True
    """For a blocking finding: can the applicant fix it and resubmit this application?"""
    basis: str = ""
    """Why this severity, in Bahasa Indonesia: certain (a text layer, two readers, declared data,
    two printed fields that agree), a possible misreading, or an unverified table row."""
    unverified: tuple[str, ...] = ()
    """The unverified rule-table rows this finding rests on (``kewenangan.csv baris 3 (...)``)."""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "message": self.message,
            "correctable": self.correctable,
            "evidence": [e.to_json() for e in self.evidence],
        }
        if self.basis:
            out["basis"] = self.basis
        if self.unverified:
            out["unverified"] = list(self.unverified)
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        """Rebuild a finding from ``to_json`` output."""
        severity = str(data["severity"])
        if severity not in _SEVERITY_ORDER:
            raise ValueError(f"unknown severity {severity!r}")
        return cls(
            rule_id=str(data["rule_id"]),
            severity=cast(Severity, severity),
            message=str(data["message"]),
            evidence=tuple(Evidence.from_json(e) for e in data.get("evidence", ())),
            correctable=bool(data.get("correctable", True)),
            basis=str(data.get("basis", "")),
            unverified=tuple(str(u) for u in data.get("unverified", ())),
        )


def verdict_for(findings: Sequence[Finding]) -> Verdict:
    """Apply the verdict rule of this module's docstring."""
    blocking = [f for f in findings if f.severity == "blocking"]
    if not blocking:
        return "memenuhi"
    if any(not f.correctable for f in blocking):
        return "tidak_memenuhi"
    return "perlu_perbaikan"


@dataclass(frozen=True, slots=True)
class Report:
    """All findings of one check and the verdict that follows from them."""

    findings: tuple[Finding, ...]
    verdict: Verdict
    rule_versions: Mapping[str, str] = field(default_factory=dict)
    """Version of each rule table used (``kbli``, ``authority``, ...), for the record."""

    @classmethod
    def from_findings(
        cls, findings: Sequence[Finding], rule_versions: Mapping[str, str] | None = None
    ) -> Report:
        """Build a report whose verdict follows the verdict rule."""
        ordered = tuple(sorted(findings, key=_finding_order))
        return cls(ordered, verdict_for(ordered), dict(rule_versions or {}))

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """The blocking findings."""
        return tuple(f for f in self.findings if f.severity == "blocking")

    def to_json(self) -> dict[str, Any]:
        """Return the JSON-ready form (``json.dumps(report.to_json(), ensure_ascii=False)``)."""
        return {
            "verdict": self.verdict,
            "findings": [f.to_json() for f in self.findings],
            "rule_versions": dict(self.rule_versions),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the same JSON-ready form as ``to_json`` (the name the workflow stores it by)."""
        return self.to_json()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Report:
        """Rebuild from ``to_json`` output; the verdict follows from the findings again."""
        return cls.from_findings(
            [Finding.from_json(f) for f in data.get("findings", ())],
            {str(k): str(v) for k, v in data.get("rule_versions", {}).items()},
        )


_SEVERITY_ORDER = {"blocking": 0, "warning": 1, "info": 2}


def _finding_order(f: Finding) -> tuple[int, str]:
    return (_SEVERITY_ORDER[f.severity], f.rule_id)


# --- parsing the application JSON ------------------------------------------------------------

_TOP_KEYS = frozenset(
    {
        "nama_usaha",
        "bentuk",
        "skala",
        "status_penanaman_modal",
        "nib",
        "npwp",
        "pemilik",
        "lokasi",
        "kbli",
        "from_oss",
    }
)


def _fail(path: str, problem: str) -> ApplicationDataError:
    return ApplicationDataError(
        f"application data: {path}: {problem}",
        detail_id=f"Data permohonan tidak sah pada '{path}': {problem}",
    )


def _opt_str(data: Mapping[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(
            f"{path}{key}",
            f"harus berupa teks (string), bukan {type(value).__name__}; "
            "kode ditulis sebagai teks agar angka nol di depan tidak hilang",
        )
    value = value.strip()
    return value or None


def _opt_choice(data: Mapping[str, Any], key: str, path: str, allowed: Sequence[str]) -> str | None:
    value = _opt_str(data, key, path)
    if value is None:
        return None
    for candidate in allowed:
        if value.casefold() == candidate.casefold():
            return candidate
    raise _fail(f"{path}{key}", f"nilai '{value}' tidak dikenal; pilihan: {', '.join(allowed)}")


def _sub(data: Mapping[str, Any], key: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(key, "harus berupa objek")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise _fail(key, f"kunci tidak dikenal: {', '.join(map(str, unknown))}")
    return cast(Mapping[str, Any], value)


def _parse_declared(data: Mapping[str, Any]) -> Declared:
    if not isinstance(data, Mapping):
        raise _fail("$", "data permohonan harus berupa objek JSON")
    unknown = sorted(str(k) for k in set(data) - _TOP_KEYS)
    if unknown:
        raise _fail("$", f"kunci tidak dikenal: {', '.join(unknown)}")
    pemilik = _sub(data, "pemilik", frozenset({"nama", "nik"}))
    lokasi = _sub(data, "lokasi", frozenset({"alamat", "desa", "kecamatan", "kabupaten"}))
    raw_kbli = data.get("kbli")
    if raw_kbli is None:
        raw_kbli = []
    if not isinstance(raw_kbli, list):
        raise _fail("kbli", "harus berupa daftar")
    claims: list[KbliClaim] = []
    allowed_claim = frozenset({"kode", "judul", "risiko", "kewenangan", "kd_daerah"})
    for index, item in enumerate(raw_kbli):
        path = f"kbli[{index}]."
        if not isinstance(item, Mapping):
            raise _fail(f"kbli[{index}]", "harus berupa objek")
        extra = sorted(str(k) for k in set(item) - allowed_claim)
        if extra:
            raise _fail(f"kbli[{index}]", f"kunci tidak dikenal: {', '.join(extra)}")
        kode = _opt_str(item, "kode", path)
        if kode is None:
            raise _fail(f"{path}kode", "wajib diisi")
        claims.append(
            KbliClaim(
                kode=kode,
                judul=_opt_str(item, "judul", path),
                risiko=cast(Risiko | None, _opt_choice(item, "risiko", path, RISIKO_VALUES)),
                kewenangan=_opt_choice(item, "kewenangan", path, KEWENANGAN_VALUES),
                kd_daerah=_opt_str(item, "kd_daerah", path),
            )
        )
    from_oss = data.get("from_oss", False)
    if not isinstance(from_oss, bool):
        raise _fail("from_oss", "harus true atau false")
    return Declared(
        nama_usaha=_opt_str(data, "nama_usaha", ""),
        bentuk=cast(Bentuk | None, _opt_choice(data, "bentuk", "", BENTUK_VALUES)),
        skala=cast(Skala | None, _opt_choice(data, "skala", "", SKALA_VALUES)),
        status_penanaman_modal=cast(
            Literal["PMDN", "PMA"] | None,
            _opt_choice(data, "status_penanaman_modal", "", PENANAMAN_MODAL_VALUES),
        ),
        nib=_opt_str(data, "nib", ""),
        npwp=_opt_str(data, "npwp", ""),
        pemilik=Person(
            nama=_opt_str(pemilik, "nama", "pemilik."), nik=_opt_str(pemilik, "nik", "pemilik.")
        ),
        lokasi=Location(
            alamat=_opt_str(lokasi, "alamat", "lokasi."),
            desa=_opt_str(lokasi, "desa", "lokasi."),
            kecamatan=_opt_str(lokasi, "kecamatan", "lokasi."),
            kabupaten=_opt_str(lokasi, "kabupaten", "lokasi."),
        ),
        kbli=tuple(claims),
        from_oss=from_oss,
    )
