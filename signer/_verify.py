"""Verify every signature of a PDF the strict way: revocation data required, no soft-fail.

Each signature goes through pyHanko's ETSI EN 319 102-1 long-term validation (which covers the
lower levels too: without document timestamps it validates at the current time), with the
certificates and revocation data embedded in the document (DSS, earlier signatures) plus the
configured trust anchors, helper certificates and CRLs. Document timestamps are reported as
entries of their own; a broken one makes the document INVALID, while their trust is judged as
evidence inside each signature's long-term validation.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
from datetime import UTC, datetime
from io import BytesIO
from typing import Any, Literal

from asn1crypto.crl import CertificateList
from asn1crypto.ocsp import OCSPResponse
from pyhanko.pdf_utils.generic import DictionaryObject
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESStatus
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SignedDataCerts
from pyhanko.sign.validation import ades, generic_cms
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import (
    EmbeddedPdfSignature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.policy_decl import LocalKnowledge, SignatureValidationSpec
from pyhanko.sign.validation.status import ModificationInfo, SignatureCoverageLevel
from pyhanko_certvalidator.errors import PathValidationError
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.path import ValidationPath
from pyhanko_certvalidator.revinfo.archival import CRLContainer, OCSPContainer

from ._trust import LoadedTrust, load_trust
from ._types import PadesLevel, SignatureReport, TrustConfig, VerificationReport
from .errors import InvalidPdf

__all__ = ["verify_loaded", "verify_pdf", "verify_pdf_async"]

logger = logging.getLogger(__name__)

MAX_VERIFY_BYTES = 100 * 1024 * 1024
Status = Literal["VALID", "INDETERMINATE", "INVALID"]
_STATUS: dict[AdESStatus, Status] = {
    AdESStatus.PASSED: "VALID",
    AdESStatus.INDETERMINATE: "INDETERMINATE",
    AdESStatus.FAILED: "INVALID",
}
# Sub-indications that mean "no usable revocation data" (as opposed to bad data).
_NO_REVINFO = {
    "TRY_LATER",
    "REVOCATION_OUT_OF_BOUNDS_NO_POE",
}
_CHANGE_NAMES = {
    ModificationLevel.NONE: "none",
    ModificationLevel.LTA_UPDATES: "lta_updates",
    ModificationLevel.FORM_FILLING: "form_filling",
    ModificationLevel.ANNOTATIONS: "annotations",
    ModificationLevel.OTHER: "other",
}


def verify_pdf(pdf: bytes, trust: TrustConfig) -> VerificationReport:
    """Verify all signatures in ``pdf`` against ``trust`` (call outside a running event loop)."""
    return asyncio.run(verify_loaded(pdf, load_trust(trust)))


async def verify_pdf_async(pdf: bytes, trust: TrustConfig) -> VerificationReport:
    """Verify all signatures in ``pdf`` against ``trust`` inside a running event loop."""
    return await verify_loaded(pdf, load_trust(trust))


def _dss_revinfo(reader: PdfFileReader) -> bool:
    if "/DSS" not in reader.root:
        return False
    dss = reader.root["/DSS"]
    if not isinstance(dss, DictionaryObject):
        return False
    return any(key in dss and len(dss[key]) > 0 for key in ("/CRLs", "/OCSPs"))


def _with_dss(spec: SignatureValidationSpec, reader: PdfFileReader) -> SignatureValidationSpec:
    """Add the certificates and revocation data of the document's DSS to ``spec``."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return spec
    ocsps = [
        container
        for ref in dss.ocsps
        for container in OCSPContainer.load_multi(OCSPResponse.load(ref.get_object().data))
    ]
    crls = [CRLContainer(CertificateList.load(ref.get_object().data)) for ref in dss.crls]
    known = spec.local_knowledge
    return dataclasses.replace(
        spec,
        local_knowledge=LocalKnowledge(
            known_ocsps=[*known.known_ocsps, *ocsps],
            known_crls=[*known.known_crls, *crls],
            known_certs=[*known.known_certs, *dss.load_certs()],
        ),
    )


def _structural_level(
    sig: EmbeddedPdfSignature, doc_ts_revisions: list[int], has_dss_revinfo: bool
) -> PadesLevel:
    has_ts = next(generic_cms.extract_tst_data_iter(sig.signer_info, signed=False), None)
    if has_ts is None:
        return "B-B"
    if not has_dss_revinfo:
        return "B-T"
    if any(rev > sig.signed_revision for rev in doc_ts_revisions):
        return "B-LTA"
    return "B-LT"


def _sub_name(sub: object) -> str:
    return str(getattr(sub, "name", sub))


def _chain(sig: EmbeddedPdfSignature, path: ValidationPath | None) -> tuple[str, ...]:
    """Subjects from the trust anchor down to the signer (or the embedded certs if no path)."""
    if path is not None:
        return tuple(str(c.subject.human_friendly) for c in path.iter_certs(include_root=True))
    certs: SignedDataCerts = sig._init_cert_info()
    return (str(sig.signer_cert.subject.human_friendly),) + tuple(
        str(c.subject.human_friendly) for c in certs.other_certs
    )


async def _report_signature(
    sig: EmbeddedPdfSignature,
    loaded: LoadedTrust,
    level: PadesLevel,
    local_only: bool | None,
    fetcher: AIOHttpFetcherBackend,
) -> SignatureReport:
    spec = loaded.pdf_validation_spec(local_only=local_only, fetcher=fetcher)
    messages: list[str] = []
    try:
        sig.compute_integrity_info()  # type: ignore[no-untyped-call]
        integrity = ModificationInfo(**sig.summarise_integrity_info())
        if level in ("B-T", "B-LT"):
            result: ades.AdESBasicValidationResult[Any] = await ades.ades_with_time_validation(
                sig.signed_data,
                _with_dss(spec.signature_validation_spec, sig.reader),
                raw_digest=sig.compute_digest(),
            )
        elif level == "B-B":
            result = await ades.ades_basic_validation(
                sig.signed_data,
                spec.signature_validation_spec,
                raw_digest=sig.compute_digest(),
            )
        else:
            result = await ades.ades_lta_validation(sig, spec)
    except (SignatureValidationError, PathValidationError, ValueError) as exc:
        return SignatureReport(
            field_name=str(sig.field_name),
            kind="signature",
            status="INVALID",
            sub_indication="FORMAT_FAILURE",
            intact=False,
            trusted=False,
            signer_subject=None,
            chain=(),
            signing_time=None,
            timestamp_time=None,
            level=None,
            revision=sig.signed_revision + 1,
            changed_after="unknown",
            covers_whole_file=False,
            revocation_data_found=False,
            certified=False,
            messages=(f"{type(exc).__name__}: {exc}",),
        )
    sub = result.ades_subindic
    status = _STATUS[sub.status]
    api = result.api_status
    if result.failure_msg and sub.status != AdESStatus.PASSED:
        messages.append(result.failure_msg)
    intact = bool(api is not None and api.intact and api.valid)
    trusted = bool(api is not None and api.trusted)
    mod = integrity.modification_level
    change = _CHANGE_NAMES.get(mod, "unknown") if mod is not None else "unknown"
    covers = integrity.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if integrity.docmdp_ok is False:
        status = "INVALID"
        messages.append("changes after signing are not allowed by the certification")
    ts_time = None
    if api is not None and getattr(api, "timestamp_validity", None) is not None:
        ts_time = api.timestamp_validity.timestamp
    revinfo_found = status == "VALID" or sub in (AdESFailure.REVOKED,)
    if isinstance(sub, AdESIndeterminate) and _sub_name(sub) in _NO_REVINFO:
        revinfo_found = False
    return SignatureReport(
        field_name=str(sig.field_name),
        kind="signature",
        status=status,
        sub_indication=None if status == "VALID" else _sub_name(sub),
        intact=intact,
        trusted=trusted and status != "INVALID",
        signer_subject=str(sig.signer_cert.subject.human_friendly),
        chain=_chain(sig, api.validation_path if api is not None else None),
        signing_time=getattr(result, "best_signature_time", None) or sig.self_reported_timestamp,
        timestamp_time=ts_time,
        level=level,
        revision=sig.signed_revision + 1,
        changed_after=change,
        covers_whole_file=covers,
        revocation_data_found=revinfo_found,
        certified=sig.docmdp_level is not None,
        messages=tuple(messages),
    )


async def _report_doc_timestamp(
    sig: EmbeddedPdfSignature,
    loaded: LoadedTrust,
    fetcher: AIOHttpFetcherBackend,
    local_only: bool | None,
) -> SignatureReport:
    certs = sig._init_cert_info()
    context = loaded.validation_context(
        extra_certs=tuple(certs.other_certs), fetcher=fetcher, offline=bool(local_only)
    )
    messages: list[str] = []
    try:
        ts_status = await async_validate_pdf_timestamp(sig, validation_context=context)
        intact = bool(ts_status.intact and ts_status.valid)
        trusted = bool(ts_status.trusted)
        ts_time: datetime | None = ts_status.timestamp
        mod = ts_status.modification_level
    except (SignatureValidationError, PathValidationError, ValueError) as exc:
        intact = trusted = False
        ts_time = None
        mod = None
        messages.append(f"{type(exc).__name__}: {exc}")
    status: Status = "INVALID" if not intact else ("VALID" if trusted else "INDETERMINATE")
    return SignatureReport(
        field_name=str(sig.field_name),
        kind="document_timestamp",
        status=status,
        sub_indication=None if status == "VALID" else ("HASH_FAILURE" if not intact else None),
        intact=intact,
        trusted=trusted,
        signer_subject=str(sig.signer_cert.subject.human_friendly),
        chain=_chain(sig, None),
        signing_time=ts_time,
        timestamp_time=ts_time,
        level=None,
        revision=sig.signed_revision + 1,
        changed_after=_CHANGE_NAMES.get(mod, "unknown") if mod is not None else "unknown",
        covers_whole_file=sig.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        revocation_data_found=trusted,
        certified=False,
        messages=tuple(messages),
    )


async def verify_loaded(
    pdf: bytes,
    loaded: LoadedTrust,
    *,
    local_only: bool | None = None,
    fetcher: AIOHttpFetcherBackend | None = None,
) -> VerificationReport:
    """Verify ``pdf`` with already-loaded trust settings (coroutine).

    ``local_only=True`` uses only embedded and configured revocation data, as an offline
    validator would (None: fetch when the trust settings allow it).
    """
    if len(pdf) > MAX_VERIFY_BYTES:
        raise InvalidPdf(
            f"PDF of {len(pdf)} bytes exceeds the verification limit",
            detail_id="Berkas PDF terlalu besar untuk diverifikasi.",
        )
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
        revisions = reader.xrefs.total_revisions
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InvalidPdf(
            "PDF could not be parsed for verification",
            detail_id="Berkas PDF tidak dapat dibaca.",
        ) from exc
    doc_ts_revisions = [s.signed_revision for s in embedded if s.sig_object_type == "/DocTimeStamp"]
    has_dss = _dss_revinfo(reader)
    reports: list[SignatureReport] = []
    own_fetcher = fetcher is None
    fetcher = fetcher or loaded.fetcher()
    try:
        for sig in embedded:
            if sig.sig_object_type == "/DocTimeStamp":
                reports.append(await _report_doc_timestamp(sig, loaded, fetcher, local_only))
            else:
                level = _structural_level(sig, doc_ts_revisions, has_dss)
                reports.append(await _report_signature(sig, loaded, level, local_only, fetcher))
    finally:
        if own_fetcher:
            await fetcher.close()  # type: ignore[no-untyped-call]
    signatures = [r for r in reports if r.kind == "signature"]
    overall: Status
    if not signatures:
        overall = "INDETERMINATE"
    elif any(r.status == "INVALID" for r in reports):
        overall = "INVALID"
    elif any(r.status == "INDETERMINATE" for r in signatures):
        overall = "INDETERMINATE"
    else:
        overall = "VALID"
    return VerificationReport(
        status=overall,
        sha256=digest,
        signatures=tuple(reports),
        no_signature=not signatures,
        revisions=revisions,
        validated_at=datetime.now(UTC),
    )
