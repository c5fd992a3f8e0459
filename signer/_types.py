"""Values the signer takes and returns: trust and timestamp settings, requests, results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ._pki import DevPki

PadesLevel = Literal["B-B", "B-T", "B-LT", "B-LTA"]
PADES_LEVELS: tuple[PadesLevel, ...] = ("B-B", "B-T", "B-LT", "B-LTA")

# Default visible-signature box: (x0, y0, x1, y1) in PDF points, origin at the bottom-left corner
# of the page (PDF user space), on the last page; the renderer leaves this area free.
DEFAULT_SIGNATURE_BOX: tuple[float, float, float, float] = (56.0, 56.0, 306.0, 146.0)

CertSource = bytes | Path
"""A certificate or CRL given as DER/PEM bytes or as a path to such a file."""


@dataclass(frozen=True, slots=True)
class TrustConfig:
    """What a signature is checked against: anchors, helper certificates, revocation data."""

    trust_roots: tuple[CertSource, ...]
    """Trust anchors (root CA certificates)."""
    other_certs: tuple[CertSource, ...] = ()
    """Intermediate CA, TSA and OCSP responder certificates that may help build chains."""
    crls: tuple[CertSource, ...] = ()
    """CRLs known ahead of time (files are re-read when they change)."""
    allow_fetching: bool = False
    """Fetch OCSP responses and CRLs over the network (off: only embedded and given data)."""
    clock_tolerance: timedelta = timedelta(minutes=5)
    """How far apart clocks (ours, the TSA's, BSrE's) may be."""
    fetch_timeout: float = 10.0
    """Seconds per OCSP/CRL fetch when fetching is allowed."""

    @classmethod
    def from_dev_pki(cls, pki: DevPki, *, allow_fetching: bool = False) -> TrustConfig:
        """Trust settings for a PKI made by ``ensure_dev_pki`` (CRLs from its folder)."""
        return cls(
            trust_roots=(pki.root_cert,),
            other_certs=(pki.intermediate_cert, pki.tsa_cert, pki.ocsp_cert),
            crls=() if allow_fetching else pki.crls,
            allow_fetching=allow_fetching,
        )


@dataclass(frozen=True)
class TimestampConfig:
    """Where timestamps come from: the in-process development TSA or real TSAs by URL."""

    tsa_urls: tuple[str, ...] = ()
    """RFC 3161 TSAs, tried in this order (failover to the next when one does not answer)."""
    dev_tsa_cert: Path | None = None
    """Certificate of the in-process development TSA (development PKI only)."""
    dev_tsa_key: Path | None = None
    """Unencrypted key of the in-process development TSA."""
    on_unavailable: Literal["fail", "degrade_to_bb"] = "fail"
    """When no TSA answers: fail (default) or sign at B-B and record the degradation."""
    timeout: float = 10.0
    """Seconds per TSA request."""

    def __post_init__(self) -> None:
        in_process = self.dev_tsa_cert is not None or self.dev_tsa_key is not None
        if in_process == bool(self.tsa_urls):
            raise ValueError("TimestampConfig needs either tsa_urls or dev_tsa_cert+dev_tsa_key")
        if in_process and (self.dev_tsa_cert is None or self.dev_tsa_key is None):
            raise ValueError("the in-process TSA needs both dev_tsa_cert and dev_tsa_key")

    @classmethod
    def from_dev_pki(cls, pki: DevPki) -> TimestampConfig:
        """Use the development PKI's TSA in-process (no server)."""
        return cls(dev_tsa_cert=pki.tsa_cert, dev_tsa_key=pki.tsa_key)


@dataclass(frozen=True, slots=True)
class SignatureRequest:
    """One signature to make: who signs, why, at what level, and where the stamp goes."""

    signer_name: str
    nip: str
    position: str
    """The signer's jabatan, e.g. "Kepala Dinas"."""
    reason: str = "Penerbitan Sertifikat Standar"
    location: str = "Mempawah"
    level: PadesLevel | None = None
    """None: B-LTA when a TSA is configured, B-B otherwise."""
    certify: bool = True
    """Certification signature with DocMDP P=2 (form filling, later DSS/timestamps allowed)."""
    visible: bool = True
    page: int = -1
    """Page of the stamp, counting from 1; -1 is the last page."""
    box: tuple[float, float, float, float] = DEFAULT_SIGNATURE_BOX
    """Stamp rectangle (x0, y0, x1, y1), PDF points from the page's bottom-left corner."""
    qr_url: str | None = None
    """Verification URL drawn as a QR code inside the stamp (None: text-only stamp)."""
    field_name: str = "TTE_Kadis"


@dataclass(frozen=True, slots=True)
class SignedPdf:
    """A signed PDF whose check passed, with what was reached."""

    pdf: bytes
    level: PadesLevel
    requested_level: PadesLevel
    signing_time: datetime
    signer_subject: str
    sha256: str
    degraded: bool = False
    """True when no TSA answered and the request fell back to B-B by configuration."""
    timestamp_time: datetime | None = None


@dataclass(frozen=True, slots=True)
class SignatureReport:
    """What verification found for one signature (or document timestamp) in a PDF."""

    field_name: str
    kind: Literal["signature", "document_timestamp"]
    status: Literal["VALID", "INDETERMINATE", "INVALID"]
    sub_indication: str | None
    intact: bool
    trusted: bool
    signer_subject: str | None
    chain: tuple[str, ...]
    signing_time: datetime | None
    timestamp_time: datetime | None
    level: PadesLevel | None
    revision: int
    """Revision that holds it, counting from 1 (revision 1 is the unsigned original)."""
    changed_after: str
    """"none", "lta_updates", "form_filling", "annotations" or "other": what came later."""
    covers_whole_file: bool
    revocation_data_found: bool
    certified: bool
    messages: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "field_name": self.field_name,
            "kind": self.kind,
            "status": self.status,
            "sub_indication": self.sub_indication,
            "intact": self.intact,
            "trusted": self.trusted,
            "signer": self.signer_subject,
            "chain": list(self.chain),
            "signing_time": _iso(self.signing_time),
            "timestamp_time": _iso(self.timestamp_time),
            "pades_level": self.level,
            "revision": self.revision,
            "changed_after": self.changed_after,
            "covers_whole_file": self.covers_whole_file,
            "revocation_data_found": self.revocation_data_found,
            "certified": self.certified,
            "messages": list(self.messages),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignatureReport:
        """Rebuild from ``to_dict`` output (keys it does not know are ignored)."""
        return cls(
            field_name=str(data["field_name"]),
            kind=data["kind"],
            status=data["status"],
            sub_indication=data.get("sub_indication"),
            intact=bool(data["intact"]),
            trusted=bool(data["trusted"]),
            signer_subject=data.get("signer"),
            chain=tuple(data.get("chain", ())),
            signing_time=_from_iso(data.get("signing_time")),
            timestamp_time=_from_iso(data.get("timestamp_time")),
            level=data.get("pades_level"),
            revision=int(data["revision"]),
            changed_after=str(data["changed_after"]),
            covers_whole_file=bool(data["covers_whole_file"]),
            revocation_data_found=bool(data["revocation_data_found"]),
            certified=bool(data["certified"]),
            messages=tuple(data.get("messages", ())),
        )


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """Verification of a whole PDF, in the manner of an ETSI validation report.

    ``status`` is VALID only when every signature and document timestamp is VALID. A PDF with no
    signature at all gets ``status == "INDETERMINATE"`` and ``no_signature == True``.
    """

    status: Literal["VALID", "INDETERMINATE", "INVALID"]
    sha256: str
    signatures: tuple[SignatureReport, ...]
    no_signature: bool
    revisions: int
    validated_at: datetime

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (what ``pintu verify FILE --json`` prints)."""
        return {
            "status": self.status,
            "sha256": self.sha256,
            "no_signature": self.no_signature,
            "signature_count": len(self.signatures),
            "revisions": self.revisions,
            "validated_at": _iso(self.validated_at),
            "signatures": [s.to_dict() for s in self.signatures],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VerificationReport:
        """Rebuild from ``to_dict`` output (keys it does not know are ignored)."""
        return cls(
            status=data["status"],
            sha256=str(data["sha256"]),
            signatures=tuple(SignatureReport.from_dict(s) for s in data.get("signatures", ())),
            no_signature=bool(data["no_signature"]),
            revisions=int(data["revisions"]),
            validated_at=datetime.fromisoformat(str(data["validated_at"])),
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None
