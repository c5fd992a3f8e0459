"""Turn a ``TrustConfig`` into pyHanko validation settings, strict by default (no soft-fail)."""

from __future__ import annotations

import functools
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import certifi
from asn1crypto import crl as asn1_crl
from asn1crypto import pem, x509
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.authority import CertTrustAnchor
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import LazySession
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

from ._types import CertSource, TrustConfig

__all__ = ["LoadedTrust", "load_trust"]

_REQUIRE_REVINFO = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
    )
)


def _read(source: CertSource) -> bytes:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return data


def _read_all_certs(source: CertSource) -> list[x509.Certificate]:
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def _mtime(source: CertSource) -> float:
    return 0.0 if isinstance(source, bytes) else Path(source).stat().st_mtime


@dataclass(frozen=True, slots=True)
class LoadedTrust:
    """A ``TrustConfig`` read into memory once (re-read when a file changes)."""

    config: TrustConfig
    roots: tuple[x509.Certificate, ...]
    others: tuple[x509.Certificate, ...]
    crls: tuple[asn1_crl.CertificateList, ...]
    stamp: tuple[float, ...]

    def validation_context(
        self,
        extra_certs: tuple[x509.Certificate, ...] = (),
        fetcher: AIOHttpFetcherBackend | None = None,
        *,
        offline: bool = False,
    ) -> ValidationContext:
        """Build a certvalidator context requiring revocation data (hard-fail), for signing."""
        fetching = self.config.allow_fetching and not offline
        return ValidationContext(
            trust_roots=list(self.roots),
            other_certs=[*self.others, *extra_certs],
            crls=list(self.crls),
            allow_fetching=fetching,
            revocation_mode="hard-fail",
            time_tolerance=self.config.clock_tolerance,
            fetcher_backend=(fetcher or self.fetcher()) if fetching else None,
        )

    def fetcher(self) -> AIOHttpFetcherBackend:
        """Build an HTTP fetcher for OCSP/CRLs; its session binds to the loop that first uses it.

        The caller closes it (``await fetcher.close()``) when its operation or signer ends.
        """
        backend = AIOHttpFetcherBackend(per_request_timeout=int(max(1, self.config.fetch_timeout)))
        backend.session = _SharedTlsSession()
        return backend

    def pdf_validation_spec(
        self,
        *,
        local_only: bool | None = None,
        fetcher: AIOHttpFetcherBackend | None = None,
    ) -> PdfSignatureValidationSpec:
        """AdES validation settings: revocation data required, fetching as configured."""
        offline = not self.config.allow_fetching if local_only is None else local_only
        cert_policy = CertValidationPolicySpec(
            trust_manager=SimpleTrustManager.build(
                trust_roots=[CertTrustAnchor(root) for root in self.roots]
            ),
            revinfo_policy=_REQUIRE_REVINFO,
            time_tolerance=self.config.clock_tolerance,
        )
        gathering = RevocationInfoGatheringSpec(
            online_fetching_rule=(
                RevinfoOnlineFetchingRule.LOCAL_ONLY
                if offline
                else RevinfoOnlineFetchingRule.ALWAYS_FETCH
            ),
            # None: each AdES operation provisions one fetcher backend and closes it after
            fetcher_backend=fetcher,
        )
        knowledge = LocalKnowledge(
            known_crls=[CRLContainer(c) for c in self.crls],
            known_certs=list(self.others),
        )
        return PdfSignatureValidationSpec(
            SignatureValidationSpec(
                cert_validation_policy=cert_policy,
                revinfo_gathering_policy=gathering,
                local_knowledge=knowledge,
            )
        )


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle costs tens of milliseconds."""
    return ssl.create_default_context(cafile=certifi.where())


class _SharedTlsSession(LazySession):
    """certvalidator's lazy aiohttp session, built on the process-wide TLS context."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=_tls_context())
            )
        session: aiohttp.ClientSession = self._session
        return session


_CACHE: dict[TrustConfig, LoadedTrust] = {}
_CACHE_LOCK = threading.Lock()


def load_trust(config: TrustConfig) -> LoadedTrust:
    """Read the certificates and CRLs of ``config``; cached until one of its files changes."""
    sources = (*config.trust_roots, *config.other_certs, *config.crls)
    stamp = tuple(_mtime(s) for s in sources)
    with _CACHE_LOCK:
        cached = _CACHE.get(config)
        if cached is not None and cached.stamp == stamp:
            return cached
    loaded = LoadedTrust(
        config=config,
        roots=tuple(c for s in config.trust_roots for c in _read_all_certs(s)),
        others=tuple(c for s in config.other_certs for c in _read_all_certs(s)),
        crls=tuple(asn1_crl.CertificateList.load(_read(s)) for s in config.crls),
        stamp=stamp,
    )
    with _CACHE_LOCK:
        _CACHE[config] = loaded
    return loaded
