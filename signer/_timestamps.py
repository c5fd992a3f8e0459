"""RFC 3161 timestamp clients: an ordered TSA list with failover, or the in-process dev TSA."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
from asn1crypto import algos, cms, core, pem, tsp, x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.keys import load_private_key_from_pemder
from pyhanko.sign import general
from pyhanko.sign.general import get_pyca_cryptography_hash  # type: ignore[attr-defined]
from pyhanko.sign.timestamps import DummyTimeStamper, TimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ._cms import signed_data, signer_info, tlv
from ._types import TimestampConfig
from .errors import TimestampUnavailable

__all__ = ["DevTimeStamper", "FailoverTimeStamper", "build_timestamper"]

logger = logging.getLogger(__name__)


class FailoverTimeStamper(TimeStamper):
    """Ask each TSA in order; the first that answers with a granted token wins.

    Counts calls per URL (state TSAs rate-limit). When none answers, raises
    ``TimestampUnavailable`` naming how many were tried.
    """

    def __init__(self, urls: tuple[str, ...], timeout: float) -> None:
        super().__init__(include_nonce=True)  # type: ignore[no-untyped-call]
        self._urls = urls
        self._timeout = timeout
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        # one client for the life of the timestamper: building one costs a TLS context load
        self._http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self._http.close()

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        """Send ``req`` to the TSAs in order until one grants a token."""
        body = req.dump()
        for url in self._urls:
            with self._lock:
                self.calls[url] += 1
            try:
                answer = self._http.post(
                    url, content=body, headers={"Content-Type": "application/timestamp-query"}
                )
                answer.raise_for_status()
                mime = answer.headers.get("content-type", "").split(";")[0].strip()
                if mime != "application/timestamp-reply":
                    raise ValueError(f"unexpected content type {mime!r}")
                response = tsp.TimeStampResp.load(answer.content)
                status = response["status"]["status"].native
                if status not in ("granted", "granted_with_mods"):
                    raise ValueError(f"TSA status {status}")
                return response
            except (httpx.HTTPError, ValueError) as exc:
                logger.warning("TSA %s failed (%s); trying the next one", url, type(exc).__name__)
        raise TimestampUnavailable(
            f"none of the {len(self._urls)} configured TSAs answered",
            detail_id="Layanan cap waktu (TSA) tidak dapat dihubungi. Coba lagi nanti.",
        )


_TST_INFO = cms.ContentType("tst_info").dump()
_GRANTED = tsp.PKIStatusInfo({"status": tsp.PKIStatus("granted")}).dump()


def _attribute(name: str, value: object) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": name, "values": (value,)})


class DevTimeStamper(DummyTimeStamper):
    """pyHanko's in-process TSA with its RSA key parsed once (the stock one re-parses per token).

    Development PKI only: it signs whatever it is asked to, with the local TSA key.
    """

    def __init__(self, cert: x509.Certificate, key_path: Path) -> None:
        key_pem = key_path.read_bytes()
        loaded = serialization.load_pem_private_key(key_pem, password=None)
        if not isinstance(loaded, RSAPrivateKey):
            raise ValueError("the development TSA key must be RSA")
        self._rsa = loaded
        # constant for this TSA: encode once (re-encoding its issuer name costs milliseconds)
        self._signing_cert_attr = cms.CMSAttribute.load(
            _attribute("signing_certificate", general.as_signing_certificate(cert)).dump()
        )
        self._signer_id = cms.IssuerAndSerialNumber(
            {"issuer": cert.issuer, "serial_number": cert.serial_number}
        ).dump()
        self._certificates = cert.dump()
        self._signature_algorithm = algos.SignedDigestAlgorithm(
            {"algorithm": "rsassa_pkcs1v15"}
        ).dump()
        key_info = load_private_key_from_pemder(str(key_path), passphrase=None)
        super().__init__(
            tsa_cert=cert,
            tsa_key=key_info,
            certs_to_embed=SimpleCertificateStore.from_certs([cert]),  # type: ignore[no-untyped-call]
        )

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: datetime
    ) -> tuple[bytes, cms.CMSAttributes]:
        hash_algo = get_pyca_cryptography_hash(md_algorithm)
        digest = hashes.Hash(hash_algo)
        digest.update(tst_info_data)
        attributes = cms.CMSAttributes(
            [
                _attribute("content_type", "tst_info"),
                _attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                self._signing_cert_attr,
                _attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._rsa.sign(attributes.dump(), PKCS1v15(), hash_algo)
        return signature, attributes

    def request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        """Answer as pyHanko's dummy TSA does, the token assembled from parts encoded once."""
        message_imprint = req["message_imprint"]
        md_algorithm = self.override_md or message_imprint["hash_algorithm"]["algorithm"].native
        when = self.fixed_dt or datetime.now(UTC)
        tst_info = self._build_tst_info(message_imprint, when, req).dump()
        signature, attributes = self._sign_tst_info(tst_info, md_algorithm, when)
        digest_algorithm = algos.DigestAlgorithm({"algorithm": md_algorithm}).dump()
        info = signer_info(
            self._signer_id,
            digest_algorithm,
            attributes.dump(),
            self._signature_algorithm,
            signature,
        )
        encapsulated = tlv(0x30, _TST_INFO + tlv(0xA0, tlv(0x04, tst_info)))
        token = signed_data(3, digest_algorithm, encapsulated, self._certificates, info)
        response: tsp.TimeStampResp = tsp.TimeStampResp.load(tlv(0x30, _GRANTED + token))
        return response


def _load_cert(path: Path) -> x509.Certificate:
    data = path.read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def build_timestamper(config: TimestampConfig) -> TimeStamper:
    """Return the timestamper ``config`` describes (failover list or in-process dev TSA)."""
    if config.dev_tsa_cert is not None and config.dev_tsa_key is not None:
        return DevTimeStamper(_load_cert(config.dev_tsa_cert), config.dev_tsa_key)
    return FailoverTimeStamper(config.tsa_urls, config.timeout)
