"""Remote signing through BSrE's eSign Client API (v2), then B-LTA added locally.

BSrE makes its own PAdES B-T signature. Pintu checks what comes back — each returned file starts
with exactly the bytes sent and adds exactly one signature, by the expected signer, that
verifies — then appends revocation data and a document timestamp itself (``extend_to_lta``).

A call, once sent, is never retried automatically: ``on_sent`` is invoked (and must persist a
"sent" mark) before each HTTP call; an answer lost after that raises ``RemoteOutcomeUnknown`` and
the caller shows the permit as "outcome unknown" until the Kadis signs again with fresh consent.
The passphrase/TOTP is sent and forgotten: never logged, never stored.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any, Literal

import httpx
from asn1crypto import x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader

from ._augment import extend_to_lta
from ._timestamps import FailoverTimeStamper, build_timestamper
from ._types import SignedPdf, TimestampConfig, TrustConfig
from .errors import (
    BatchTooLarge,
    RemoteOutcomeUnknown,
    RemoteSignerError,
    RemoteSignerRejected,
    SignatureNotValid,
)

__all__ = [
    "BsreAppearance",
    "BsreClient",
    "BsreConfig",
    "BsreIdentity",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BsreConfig:
    """How to reach BSrE (or a provincial "central sign" proxy in front of it)."""

    base_url: str
    client_id: str
    client_secret: str
    timeout: float = 120.0
    """Seconds for one signing call (about 0.9 s per PDF is usual)."""
    max_batch: int = 10
    """Most files in one multi-file call (one TOTP confirms one call)."""


@dataclass(frozen=True, slots=True)
class BsreIdentity:
    """Whose certificate signs: the signer's NIK or registered e-mail, and the secret for it."""

    nik: str | None = None
    email: str | None = None
    passphrase: str | None = None
    totp: str | None = None

    def __post_init__(self) -> None:
        if (self.nik is None) == (self.email is None):
            raise ValueError("give exactly one of nik or email")
        if (self.passphrase is None) == (self.totp is None):
            raise ValueError("give exactly one of passphrase or totp")

    def __repr__(self) -> str:
        return "BsreIdentity(<redacted>)"


@dataclass(frozen=True, slots=True)
class BsreAppearance:
    """BSrE's own signature appearance (``signatureProperties``) for one file."""

    visible: bool = False
    image_png: bytes | None = None
    page: int = 1
    origin_x: float = 0.0
    origin_y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    location: str = "Mempawah"
    reason: str = "Penerbitan Sertifikat Standar"
    contact_info: str = ""

    def to_json(self) -> dict[str, Any]:
        """Field names exactly as the API spells them."""
        props: dict[str, Any] = {
            "tampilan": "VISIBLE" if self.visible else "INVISIBLE",
            "location": self.location,
            "reason": self.reason,
            "contactInfo": self.contact_info,
        }
        if self.visible:
            props.update(
                imageBase64=base64.b64encode(self.image_png or b"").decode(),
                page=self.page,
                originX=self.origin_x,
                originY=self.origin_y,
                width=self.width,
                height=self.height,
            )
        return props


UserStatus = Literal["ISSUE", "NOT_REGISTERED", "NO_CERTIFICATE"]

SentCallback = Callable[[str], None]
"""Called with the request hash right before a call is sent; must persist a "sent" mark."""


def _count_signatures(pdf: bytes) -> int:
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    return sum(1 for s in reader.embedded_signatures if s.sig_object_type == "/Sig")


class BsreClient:
    """Client of the BSrE eSign API; ``sign`` returns B-LTA PDFs verified by Pintu."""

    def __init__(
        self,
        config: BsreConfig,
        trust: TrustConfig,
        timestamps: TimestampConfig,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._config = config
        self._trust = trust
        self._timestamps = timestamps
        self._timestamper = build_timestamper(timestamps)
        self._http = httpx.Client(
            base_url=config.base_url.rstrip("/"),
            auth=(config.client_id, config.client_secret),
            timeout=config.timeout,
            transport=transport,
        )

    def close(self) -> None:
        """Release the HTTP connection pools."""
        self._http.close()
        if isinstance(self._timestamper, FailoverTimeStamper):
            self._timestamper.close()

    def _post(self, path: str, body: dict[str, Any], kind: str) -> httpx.Response:
        started = time.perf_counter()
        try:
            answer = self._http.post(path, json=body)
        finally:
            logger.info("bsre %s took %.0f ms", kind, (time.perf_counter() - started) * 1000)
        return answer

    def user_status(self, identity: BsreIdentity) -> UserStatus:
        """Ask whether the signer is registered and holds a certificate (``ISSUE`` = ready)."""
        body = {"nik": identity.nik} if identity.nik else {"email": identity.email}
        try:
            answer = self._post("/api/v2/user/check/status", body, "check-status")
        except httpx.HTTPError as exc:
            raise RemoteSignerError("BSrE status check failed") from exc
        self._raise_for_status(answer)
        status = str(answer.json().get("status", ""))
        if status not in ("ISSUE", "NOT_REGISTERED", "NO_CERTIFICATE"):
            raise RemoteSignerError(f"unexpected BSrE user status {status!r}")
        return status  # type: ignore[return-value]

    def _raise_for_status(self, answer: httpx.Response) -> None:
        if answer.status_code == 200:
            return
        if answer.status_code == 401:
            raise RemoteSignerError(
                "BSrE refused the office's client credentials (401)",
                detail_id="Kredensial aplikasi untuk BSrE ditolak; hubungi admin.",
            )
        if 400 <= answer.status_code < 500:
            raise RemoteSignerRejected(
                f"BSrE rejected the request ({answer.status_code})",
                detail_id="BSrE menolak permintaan: periksa passphrase/TOTP lalu coba lagi.",
            )
        raise RemoteSignerError(
            f"BSrE failed ({answer.status_code})",
            detail_id="Layanan BSrE gagal memproses permintaan.",
        )

    def sign(
        self,
        pdfs: Sequence[bytes],
        identity: BsreIdentity,
        appearances: Sequence[BsreAppearance],
        *,
        on_sent: SentCallback,
        expected_signer: x509.Certificate | None = None,
    ) -> list[SignedPdf]:
        """Sign ``pdfs`` in one call (never retried), check each answer, extend each to B-LTA."""
        if not pdfs or len(pdfs) != len(appearances):
            raise ValueError("one appearance per PDF, at least one PDF")
        if len(pdfs) > self._config.max_batch:
            raise BatchTooLarge(
                f"{len(pdfs)} files exceed the batch size {self._config.max_batch}",
                detail_id=f"Maksimal {self._config.max_batch} berkas per konfirmasi.",
            )
        body: dict[str, Any] = {"nik": identity.nik} if identity.nik else {"email": identity.email}
        body["file"] = [base64.b64encode(p).decode() for p in pdfs]
        body["signatureProperties"] = [a.to_json() for a in appearances]
        request_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if identity.passphrase is not None:
            body["passphrase"] = identity.passphrase
        else:
            body["totp"] = identity.totp
        on_sent(request_hash)
        started = time.perf_counter()
        try:
            answer = self._http.post("/api/v2/sign/pdf", json=body)
        except httpx.HTTPError as exc:
            logger.warning(
                "bsre sign %s: no answer after %.0f ms (%s); outcome unknown",
                request_hash[:16],
                (time.perf_counter() - started) * 1000,
                type(exc).__name__,
            )
            raise RemoteOutcomeUnknown(
                "BSrE signing call sent but no answer received",
                detail_id=(
                    "Hasil penandatanganan BSrE tidak diketahui; tanda tangani ulang bila perlu."
                ),
            ) from exc
        finally:
            del body
        logger.info(
            "bsre sign %s: %d files, HTTP %d in %.0f ms",
            request_hash[:16],
            len(pdfs),
            answer.status_code,
            (time.perf_counter() - started) * 1000,
        )
        self._raise_for_status(answer)
        files = self._returned_files(answer, len(pdfs))
        return [
            self._accept(sent, got, expected_signer) for sent, got in zip(pdfs, files, strict=True)
        ]

    @staticmethod
    def _returned_files(answer: httpx.Response, count: int) -> list[bytes]:
        try:
            payload = answer.json()
            files = [base64.b64decode(f, validate=True) for f in payload["file"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise RemoteSignerError("BSrE answer is not the documented JSON") from exc
        if len(files) != count:
            raise RemoteSignerError(f"BSrE returned {len(files)} files for {count} sent")
        return files

    def _accept(
        self, sent: bytes, got: bytes, expected_signer: x509.Certificate | None
    ) -> SignedPdf:
        if not got.startswith(sent):
            raise SignatureNotValid(
                "BSrE output does not begin with the bytes sent",
                detail_id="Berkas dari BSrE tidak sesuai dengan berkas yang dikirim.",
            )
        try:
            before, after = _count_signatures(sent), _count_signatures(got)
            reader = PdfFileReader(BytesIO(got), strict=False)
            new_sig = [s for s in reader.embedded_signatures if s.sig_object_type == "/Sig"][-1]
        except (PdfReadError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise SignatureNotValid("BSrE output cannot be parsed") from exc
        if after != before + 1:
            raise SignatureNotValid(f"BSrE output adds {after - before} signatures instead of 1")
        if expected_signer is not None and new_sig.signer_cert.sha256 != expected_signer.sha256:
            raise SignatureNotValid(
                "BSrE output is signed by an unexpected certificate",
                detail_id="Berkas dari BSrE ditandatangani oleh sertifikat yang tidak diharapkan.",
            )
        extended, report = extend_to_lta(
            got, self._trust, self._timestamps, timestamper=self._timestamper
        )
        sig = [s for s in report.signatures if s.kind == "signature"][-1]
        return SignedPdf(
            pdf=extended,
            level="B-LTA",
            requested_level="B-LTA",
            signing_time=sig.signing_time or report.validated_at,
            signer_subject=str(new_sig.signer_cert.subject.human_friendly),
            sha256=hashlib.sha256(extended).hexdigest(),
            timestamp_time=sig.timestamp_time,
        )
