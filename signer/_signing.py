"""PAdES signing (B-B … B-LTA) with a visible stamp and DocMDP P=2, each output checked."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import x509
from pyhanko.pdf_utils.generic import DictionaryObject, TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko.stamp import BaseStampStyle, QRStampStyle, TextStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (
    ExpiredError,
    InsufficientRevinfoError,
    PathBuildingError,
    PathValidationError,
    RevokedError,
)
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from ._keys import SigningKey
from ._recheck import UnsupportedMechanism, check_produced
from ._stamp_font import StampFont, StampFontProgram, reduced_font
from ._timestamps import FailoverTimeStamper, build_timestamper
from ._trust import LoadedTrust, load_trust
from ._types import (
    PADES_LEVELS,
    PadesLevel,
    SignatureRequest,
    SignedPdf,
    TimestampConfig,
    TrustConfig,
)
from ._verify import verify_loaded
from .errors import (
    CertificateNotUsable,
    InvalidPdf,
    SignatureNotValid,
    TimestampUnavailable,
)

__all__ = ["Signer"]

logger = logging.getLogger(__name__)

DEFAULT_STAMP_FONT = Path("/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf")
MAX_PDF_BYTES = 50 * 1024 * 1024
_CERT_CHECK_TTL = 600.0
_CONTEXT_TTL = 600.0
_STAMP_TEXT = "Ditandatangani secara elektronik oleh:\n%(nama)s\nNIP. %(nip)s\n%(jabatan)s\n%(ts)s"


@dataclass(frozen=True, slots=True)
class _CertCheck:
    ok_until: float
    trust: LoadedTrust
    path: tuple[x509.Certificate, ...]
    """The validated path below its trust anchor, the checked certificate first."""


class Signer:
    """Signs PDFs with a ``SigningKey``; one instance per process, shared across documents.

    Holds one validation context (refreshed when the trust files change or every 10 minutes),
    one timestamper and the stamp's font program, so revocation data, certificate checks and the
    font are reused between permits. Each output is checked in proportion to what signing added
    (``_recheck``); ``full_recheck=True`` validates every output in full instead, as
    ``verify_pdf`` does. Call ``sign`` from a worker thread, not from inside a running event loop.
    """

    def __init__(
        self,
        trust: TrustConfig,
        timestamps: TimestampConfig | None = None,
        *,
        stamp_font: Path = DEFAULT_STAMP_FONT,
        max_pdf_bytes: int = MAX_PDF_BYTES,
        full_recheck: bool = False,
    ) -> None:
        self.trust = trust
        self.timestamps = timestamps
        self._timestamper: TimeStamper | None = (
            build_timestamper(timestamps) if timestamps is not None else None
        )
        with tempfile.TemporaryDirectory(prefix="pintu-stamp-font-") as folder:
            program = StampFontProgram.load(reduced_font(stamp_font, Path(folder)))
        self._font = StampFont(program, font_size=7)
        self._full_recheck = full_recheck
        self._max_pdf_bytes = max_pdf_bytes
        self._lock = threading.Lock()
        self._context: tuple[LoadedTrust, float, ValidationContext] | None = None
        # One event loop for the life of the signer: the shared validation context's HTTP
        # session (OCSP/CRL fetching) is bound to the loop that first used it.
        self._loop = asyncio.new_event_loop()
        self._fetcher: AIOHttpFetcherBackend | None = None
        self._cert_checks: dict[bytes, _CertCheck] = {}

    @property
    def default_level(self) -> PadesLevel:
        """B-LTA when a TSA is configured, B-B otherwise."""
        return "B-LTA" if self._timestamper is not None else "B-B"

    async def _validation_context(self) -> tuple[LoadedTrust, ValidationContext]:
        loaded = load_trust(self.trust)
        now = time.monotonic()
        if self._context is not None:
            cached_trust, created, context = self._context
            if cached_trust is loaded and now - created < _CONTEXT_TTL:
                return loaded, context
        if self._fetcher is not None:
            await self._fetcher.close()  # type: ignore[no-untyped-call]
        self._fetcher = loaded.fetcher()
        context = loaded.validation_context(fetcher=self._fetcher)
        self._context = (loaded, now, context)
        return loaded, context

    async def _check_certificate(
        self, key: SigningKey, loaded: LoadedTrust, context: ValidationContext
    ) -> tuple[x509.Certificate, ...]:
        """Path and revocation status of the signing certificate (cached for 10 minutes)."""
        return await self._checked(
            key.certificate, key.chain, loaded, context, {"non_repudiation"}, None, tsa=False
        )

    async def _check_tsa_certificate(
        self, cert: x509.Certificate, loaded: LoadedTrust, context: ValidationContext
    ) -> None:
        """Check that the TSA of a timestamp chains to a trust anchor and may stamp time."""
        await self._checked(cert, (), loaded, context, set(), {"time_stamping"}, tsa=True)

    async def _checked(
        self,
        cert: x509.Certificate,
        chain: tuple[x509.Certificate, ...],
        loaded: LoadedTrust,
        context: ValidationContext,
        key_usage: set[str],
        extended_key_usage: set[str] | None,
        *,
        tsa: bool,
    ) -> tuple[x509.Certificate, ...]:
        what = "TSA certificate" if tsa else "signing certificate"
        kind = "Sertifikat layanan cap waktu (TSA)" if tsa else "Sertifikat penandatangan"
        fingerprint = cert.sha256
        cached = self._cert_checks.get(fingerprint)
        if cached is not None and cached.trust is loaded and cached.ok_until > time.monotonic():
            return cached.path
        validator = CertificateValidator(
            cert, intermediate_certs=list(chain), validation_context=context
        )
        try:
            path = await validator.async_validate_usage(  # type: ignore[no-untyped-call]
                key_usage, extended_key_usage=extended_key_usage
            )
        except RevokedError as exc:
            raise CertificateNotUsable(
                f"{what} is revoked",
                detail_id=f"{kind} telah dicabut.",
            ) from exc
        except ExpiredError as exc:
            raise CertificateNotUsable(
                f"{what} is expired or not yet valid",
                detail_id=f"{kind} sudah tidak berlaku.",
            ) from exc
        except InsufficientRevinfoError as exc:
            raise TimestampUnavailable(
                f"revocation status of the {what} could not be obtained",
                detail_id="Status pencabutan sertifikat tidak dapat diperiksa. Coba lagi nanti.",
            ) from exc
        except (PathBuildingError, PathValidationError) as exc:
            raise CertificateNotUsable(
                f"{what} does not chain to a configured trust anchor",
                detail_id=f"{kind} tidak dipercaya.",
            ) from exc
        below_anchor = tuple(reversed(list(path.iter_certs(include_root=False))))
        self._cert_checks[fingerprint] = _CertCheck(
            time.monotonic() + _CERT_CHECK_TTL, loaded, below_anchor
        )
        return below_anchor

    def _stamp_style(self, request: SignatureRequest) -> BaseStampStyle:
        text_style = TextBoxStyle(font=self._font, font_size=7)
        if request.qr_url:
            return QRStampStyle(
                stamp_text=_STAMP_TEXT,
                text_box_style=text_style,
                border_width=0,
                timestamp_format="%d-%m-%Y %H:%M:%S %Z",
            )
        return TextStampStyle(
            stamp_text=_STAMP_TEXT,
            text_box_style=text_style,
            border_width=0,
            timestamp_format="%d-%m-%Y %H:%M:%S %Z",
        )

    def sign(self, pdf: bytes, key: SigningKey, request: SignatureRequest) -> SignedPdf:
        """Sign ``pdf`` as ``request`` says; the result is checked, or an error is raised."""
        if len(pdf) > self._max_pdf_bytes:
            raise InvalidPdf(
                f"PDF of {len(pdf)} bytes exceeds the signing limit",
                detail_id="Berkas PDF terlalu besar untuk ditandatangani.",
            )
        level = request.level or self.default_level
        if level not in PADES_LEVELS:
            raise InvalidPdf(f"unknown PAdES level {level!r}")
        if level != "B-B" and self._timestamper is None:
            raise TimestampUnavailable(
                f"level {level} needs a TSA but none is configured",
                detail_id="Tidak ada layanan cap waktu (TSA) yang dikonfigurasi.",
            )
        with self._lock:
            if self._loop.is_closed():
                raise RuntimeError("Signer is closed")
            return self._loop.run_until_complete(self._sign(pdf, key, request, level))

    def _close_fetcher(self) -> None:
        if self._fetcher is not None:
            self._loop.run_until_complete(self._fetcher.close())  # type: ignore[no-untyped-call]
            self._fetcher = None

    def close(self) -> None:
        """Close the HTTP session and the event loop (the signer is unusable afterwards)."""
        with self._lock:
            if not self._loop.is_closed():
                self._close_fetcher()
                self._loop.close()
                if isinstance(self._timestamper, FailoverTimeStamper):
                    self._timestamper.close()

    async def _sign(
        self, pdf: bytes, key: SigningKey, request: SignatureRequest, level: PadesLevel
    ) -> SignedPdf:
        loaded, context = await self._validation_context()
        path = await self._check_certificate(key, loaded, context)
        degraded = False
        try:
            signed = await self._sign_at(pdf, key, request, level, context)
        except TimestampUnavailable:
            if self.timestamps is None or self.timestamps.on_unavailable != "degrade_to_bb":
                raise
            logger.warning("no TSA answered; signing at B-B as configured (degrade_to_bb)")
            degraded = True
            signed = await self._sign_at(pdf, key, request, "B-B", context)
        reached: PadesLevel = "B-B" if degraded else level
        if self._full_recheck:
            return await self._full_check(
                pdf, signed, key, request, loaded, level, reached, degraded
            )
        try:
            produced = check_produced(pdf, signed, key.certificate, path, reached)
        except UnsupportedMechanism:
            return await self._full_check(
                pdf, signed, key, request, loaded, level, reached, degraded
            )
        for tsa_cert in produced.tsa_certificates:
            await self._check_tsa_certificate(tsa_cert, loaded, context)
        return SignedPdf(
            pdf=signed,
            level=produced.level,
            requested_level=level,
            signing_time=produced.signing_time or datetime.now(UTC),
            signer_subject=key.subject,
            sha256=hashlib.sha256(signed).hexdigest(),
            degraded=degraded,
            timestamp_time=produced.timestamp_time,
        )

    async def _sign_at(
        self,
        pdf: bytes,
        key: SigningKey,
        request: SignatureRequest,
        level: PadesLevel,
        context: ValidationContext,
    ) -> bytes:
        try:
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
            page_count = int(writer.root["/Pages"]["/Count"])
        except (PdfReadError, ValueError, KeyError, TypeError) as exc:
            raise InvalidPdf(
                "PDF could not be opened for signing",
                detail_id="Berkas PDF tidak dapat dibaca.",
            ) from exc
        align_producer(writer)
        page_index = page_count - 1 if request.page == -1 else request.page - 1
        if not 0 <= page_index < page_count:
            raise InvalidPdf(f"page {request.page} is outside the document's {page_count} pages")
        field_spec = fields.SigFieldSpec(
            request.field_name,
            on_page=page_index,
            box=_int_box(request.box) if request.visible else None,
        )
        long_term = level in ("B-LT", "B-LTA")
        meta = signers.PdfSignatureMetadata(
            field_name=request.field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=_stamp_safe(request.reason),
            location=_stamp_safe(request.location),
            name=_stamp_safe(request.signer_name),
            certify=request.certify,
            docmdp_permissions=fields.MDPPerm.FILL_FORMS,
            embed_validation_info=long_term,
            use_pades_lta=level == "B-LTA",
            validation_context=context if long_term else None,
        )
        params = {
            "nama": _stamp_safe(request.signer_name),
            "nip": _stamp_safe(request.nip),
            "jabatan": _stamp_safe(request.position),
        }
        if request.qr_url:
            params["url"] = request.qr_url
        with key.open() as cms_signer:
            pdf_signer = signers.PdfSigner(
                meta,
                signer=cms_signer,
                timestamper=self._timestamper if level != "B-B" else None,
                stamp_style=self._stamp_style(request),
                new_field_spec=field_spec,
            )
            try:
                output = await pdf_signer.async_sign_pdf(
                    writer,
                    appearance_text_params=params,
                    bytes_reserved=_reserve(cms_signer, timestamped=level != "B-B"),
                )
            except TimestampRequestError as exc:
                raise TimestampUnavailable(
                    "the TSA refused or failed the timestamp request",
                    detail_id="Layanan cap waktu (TSA) gagal. Coba lagi nanti.",
                ) from exc
            except (SigningError, PathValidationError) as exc:
                raise SignatureNotValid(f"pyHanko could not sign: {exc}") from exc
        data: bytes = output.getvalue()
        return data

    async def _full_check(
        self,
        original: bytes,
        signed: bytes,
        key: SigningKey,
        request: SignatureRequest,
        loaded: LoadedTrust,
        requested: PadesLevel,
        reached: PadesLevel,
        degraded: bool,
    ) -> SignedPdf:
        if not signed.startswith(original):
            raise SignatureNotValid("signed output does not extend the original bytes")
        # B-LT/B-LTA carry their revocation data: check them as an offline validator would
        report = await verify_loaded(
            signed, loaded, local_only=reached in ("B-LT", "B-LTA"), fetcher=self._fetcher
        )
        mine = [r for r in report.signatures if r.field_name == request.field_name]
        if report.status != "VALID" or len(mine) != 1:
            reasons = "; ".join(
                f"{r.field_name}:{r.status}:{r.sub_indication}:{r.messages}"
                for r in report.signatures
            )
            raise SignatureNotValid(
                f"signed output did not verify VALID ({report.status}: {reasons})",
                detail_id="Hasil tanda tangan tidak lolos verifikasi; izin tidak disimpan.",
            )
        sig = mine[0]
        if sig.level != reached:
            raise SignatureNotValid(f"reached {sig.level} instead of {reached}")
        return SignedPdf(
            pdf=signed,
            level=reached,
            requested_level=requested,
            signing_time=sig.signing_time or datetime.now(UTC),
            signer_subject=key.subject,
            sha256=hashlib.sha256(signed).hexdigest(),
            degraded=degraded,
            timestamp_time=sig.timestamp_time,
        )


def _reserve(cms_signer: signers.Signer, *, timestamped: bool) -> int:
    """Room for the CMS object, so pyHanko need not sign a dummy first to measure it.

    The CMS holds the certificates, the signed attributes and the signature value, plus the
    timestamp token (with the TSA's certificate) when timestamped; revocation data goes to the
    DSS (PAdES), not here. Generous margins: unused room is zero padding.
    """
    certs = [cms_signer.signing_cert, *cms_signer.cert_registry]
    room = sum(len(c.dump()) for c in certs if c is not None) + 1536
    if timestamped:
        room += 4096
    return 2 * room  # pyHanko counts hex digits


def _stamp_safe(text: str, limit: int = 150) -> str:
    """Drop control and bidi-override characters and cap the length of stamp text."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    return " ".join(kept.split())[:limit]


def _int_box(box: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (round(v) for v in box)
    return (x0, y0, x1, y1)


def align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Make Info /Producer equal to the XMP pdf:Producer pyHanko writes (PDF/A requires it)."""
    info_ref = writer._info
    if info_ref is None:
        return
    info = info_ref.get_object()  # type: ignore[no-untyped-call]
    if isinstance(info, DictionaryObject):
        info["/Producer"] = TextStringObject(VENDOR)
        writer.mark_update(info_ref)
