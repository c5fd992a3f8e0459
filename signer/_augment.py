"""Bring signed PDFs to (or keep them at) PAdES B-LTA by appending increments only.

Used after a remote signer (BSrE answers at B-T) and by the LTV upkeep task: revocation data for
every signature goes into the DSS, then a document timestamp covers it all. Earlier revisions stay
byte prefixes of the result; nothing is rewritten.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from io import BytesIO

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.sign.validation.dss import async_add_validation_info
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko_certvalidator.errors import PathValidationError, ValidationError
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from ._signing import align_producer
from ._timestamps import FailoverTimeStamper, build_timestamper
from ._trust import LoadedTrust, load_trust
from ._types import TimestampConfig, TrustConfig, VerificationReport
from ._verify import verify_loaded
from .errors import InvalidPdf, SignatureNotValid, TimestampUnavailable

__all__ = ["extend_to_lta", "last_timestamp_expiry"]

logger = logging.getLogger(__name__)


def extend_to_lta(
    pdf: bytes,
    trust: TrustConfig,
    timestamps: TimestampConfig,
    *,
    timestamper: TimeStamper | None = None,
) -> tuple[bytes, VerificationReport]:
    """Append revocation data and a new document timestamp; return the result and its report.

    The result is re-verified; anything but VALID raises ``SignatureNotValid`` (the input is
    then to be kept as it was).
    """
    loaded = load_trust(trust)
    stamper = timestamper or build_timestamper(timestamps)
    try:
        return asyncio.run(_extend(pdf, loaded, stamper))
    finally:
        if timestamper is None and isinstance(stamper, FailoverTimeStamper):
            stamper.close()


def last_timestamp_expiry(pdf: bytes) -> datetime | None:
    """When the newest document timestamp's TSA certificate expires (None: no timestamp).

    LTV upkeep adds a new document timestamp (``extend_to_lta``) well before this moment.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        stamps = list(reader.embedded_timestamp_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InvalidPdf("PDF could not be parsed") from exc
    if not stamps:
        return None
    expiry: datetime = stamps[-1].signer_cert["tbs_certificate"]["validity"]["not_after"].native
    return expiry


def _embedded_certs(reader: PdfFileReader) -> tuple[x509.Certificate, ...]:
    certs: list[x509.Certificate] = []
    for sig in reader.embedded_signatures:
        certs.append(sig.signer_cert)
        certs.extend(sig.other_embedded_certs)
    return tuple(certs)


async def _extend(
    pdf: bytes, loaded: LoadedTrust, stamper: TimeStamper
) -> tuple[bytes, VerificationReport]:
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        sigs = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InvalidPdf("PDF could not be parsed for augmentation") from exc
    if not any(s.sig_object_type == "/Sig" for s in sigs):
        raise InvalidPdf("PDF has no signature to extend", detail_id="PDF belum ditandatangani.")
    fetcher = loaded.fetcher()
    try:
        current = await _append(pdf, sigs, loaded, stamper, fetcher, _embedded_certs(reader))
    finally:
        await fetcher.close()  # type: ignore[no-untyped-call]
    if not current.startswith(pdf):
        raise SignatureNotValid("augmented output does not extend the original bytes")
    report = await verify_loaded(current, loaded)
    if report.status != "VALID" or any(
        s.kind == "signature" and s.level != "B-LTA" for s in report.signatures
    ):
        raise SignatureNotValid(
            f"augmented document did not verify VALID at B-LTA ({report.status})",
            detail_id="Penambahan cap waktu dokumen gagal diverifikasi; berkas lama tetap dipakai.",
        )
    return current, report


async def _append(
    pdf: bytes,
    sigs: list[EmbeddedPdfSignature],
    loaded: LoadedTrust,
    stamper: TimeStamper,
    fetcher: AIOHttpFetcherBackend,
    embedded_certs: tuple[x509.Certificate, ...],
) -> bytes:
    context = loaded.validation_context(extra_certs=embedded_certs, fetcher=fetcher)
    current: bytes = pdf
    try:
        has_doc_ts = any(s.sig_object_type == "/DocTimeStamp" for s in sigs)
        if has_doc_ts:
            output = await signers.PdfTimeStamper(stamper).async_update_archival_timestamp_chain(
                PdfFileReader(BytesIO(current), strict=False), context, in_place=False
            )
            current = output.getvalue()
        else:
            for index in range(len(sigs)):
                sig = PdfFileReader(BytesIO(current), strict=False).embedded_signatures[index]
                output = await async_add_validation_info(sig, context, in_place=False)
                current = output.getvalue()
            writer = IncrementalPdfFileWriter(BytesIO(current), strict=False)
            align_producer(writer)
            output = await signers.PdfTimeStamper(stamper).async_timestamp_pdf(
                writer, "sha256", validation_context=context
            )
            current = output.getvalue()
    except TimestampRequestError as exc:
        raise TimestampUnavailable("the TSA failed the document timestamp request") from exc
    except (SignatureValidationError, PathValidationError, ValidationError) as exc:
        raise SignatureNotValid(
            f"revocation data for the document could not be collected: {exc}"
        ) from exc
    return current
