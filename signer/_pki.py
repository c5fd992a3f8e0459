"""The development and test PKI, generated with certomancer as a library.

One generator makes both: ``make run`` uses it in-process (no server: the TSA key signs timestamps
through pyHanko's in-process timestamper, CRLs are made ahead of time), and the tests serve the very
same architecture over loopback (TSA, OCSP, CRL) with certomancer's WSGI animator.

Layout under ``folder``::

    pki.yml                 certomancer config (validity dates fixed when first generated)
    keys/*.key.pem          RSA-2048 keys (development only, never production)
    certs/*.cert.pem        every certificate of the architecture
    kadis.p12               the Kadis signing key + chain, protected by the given passphrase
    test-*.p12              revoked, expired and untrusted signers for tests (same passphrase)
    crls/*.crl              CRLs of the root and the intermediate, refreshed when near expiry
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]  # stubs (types-PyYAML) not installed
from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from certomancer.registry import (
    ArchLabel,
    CertLabel,
    CertomancerConfig,
    PKIArchitecture,
    ServiceLabel,
)
from certomancer.services import CRLBuilder, choose_signed_digest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .errors import PkiError

__all__ = [
    "ARCH_LABEL",
    "DEFAULT_SERVICE_URL",
    "TEST_SIGNERS",
    "DevPki",
    "ensure_dev_pki",
    "load_architecture",
]

ARCH_LABEL = "pintu"
DEFAULT_SERVICE_URL = "http://pki.pintu.invalid"
CRL_LIFETIME = timedelta(days=7)
CRL_REFRESH_MARGIN = timedelta(days=2)
_KEY_LABELS = (
    "root",
    "interm",
    "interm-ocsp",
    "tsa",
    "kadis",
    "kadis-revoked",
    "kadis-expired",
    "rogue-root",
    "rogue-signer",
)
# Test signers packaged as PKCS#12 next to the Kadis's: label -> file name.
TEST_SIGNERS = {
    "kadis-revoked": "test-revoked.p12",
    "kadis-expired": "test-expired.p12",
    "rogue-signer": "test-untrusted.p12",
}
_CRL_REPOS = ("root", "interm")
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class DevPki:
    """Paths of a generated development PKI (all files PEM or DER, the key store PKCS#12)."""

    root_cert: Path
    intermediate_cert: Path
    kadis_p12: Path
    tsa_cert: Path
    tsa_key: Path
    crls: tuple[Path, ...]
    ocsp_cert: Path
    folder: Path

    def test_signer_p12(self, label: str) -> Path:
        """Return the PKCS#12 file of a test signer (``kadis-revoked``, ``kadis-expired``, ...)."""
        return self.folder / TEST_SIGNERS[label]


def _ext_key_usage(*usages: str) -> dict[str, Any]:
    return {
        "id": "key_usage",
        "critical": True,
        "smart-value": {"schema": "key-usage", "params": list(usages)},
    }


def _ext_crl(repo: str) -> dict[str, Any]:
    return {
        "id": "crl_distribution_points",
        "smart-value": {"schema": "crl-dist-url", "params": {"crl-repo-names": [repo]}},
    }


def _ca_exts(crl_repo: str | None, path_len: int | None) -> list[dict[str, Any]]:
    constraints: dict[str, Any] = {"ca": True}
    if path_len is not None:
        constraints["path-len-constraint"] = path_len
    exts = [
        {"id": "basic_constraints", "critical": True, "value": constraints},
        _ext_key_usage("digital_signature", "key_cert_sign", "crl_sign"),
    ]
    if crl_repo:
        exts.append(_ext_crl(crl_repo))
    return exts


def _signer_exts() -> list[dict[str, Any]]:
    return [
        _ext_key_usage("digital_signature", "non_repudiation"),
        _ext_crl("interm"),
        {
            "id": "authority_information_access",
            "smart-value": {
                "schema": "aia-urls",
                "params": {"ocsp-responder-names": ["interm"]},
            },
        },
    ]


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _build_config(now: datetime, service_url: str) -> dict[str, Any]:
    """Return the certomancer config for a PKI whose validity starts just before ``now``."""
    start = (now - timedelta(days=1)).replace(microsecond=0)

    def validity(days: int, begin: datetime = start) -> dict[str, str]:
        return {"valid-from": _iso(begin), "valid-to": _iso(begin + timedelta(days=days))}

    kadis_subject = {
        "common-name": "Dr. Rahmat Hidayat, S.Sos., M.Si.",
        "title": "Kepala Dinas",
        "organizational-unit-name": "DPMPTSP Kabupaten Mempawah",
        "organization-name": "Pemerintah Kabupaten Mempawah (PENGEMBANGAN)",
    }
    signer = {"issuer": "interm", "validity": validity(730), "extensions": _signer_exts()}
    arch = {
        "keyset": ARCH_LABEL,
        "entity-defaults": {
            "country-name": "ID",
            "organization-name": "Pintu Development PKI",
        },
        "entities": {
            "root": {"common-name": "Pintu Dev Root CA"},
            "interm": {"common-name": "Pintu Dev Intermediate CA"},
            "interm-ocsp": {"common-name": "Pintu Dev OCSP Responder"},
            "tsa": {"common-name": "Pintu Dev Time Stamping Authority"},
            "kadis": kadis_subject,
            "kadis-revoked": {**kadis_subject, "common-name": "Penandatangan Dicabut (UJI)"},
            "kadis-expired": {**kadis_subject, "common-name": "Penandatangan Kedaluwarsa (UJI)"},
            "rogue-root": {"common-name": "Untrusted Root CA", "organization-name": "Rogue"},
            "rogue-signer": {"common-name": "Penandatangan Tak Dikenal (UJI)"},
        },
        "certs": {
            "root": {
                "subject": "root",
                "issuer": "root",
                "validity": validity(365 * 20),
                "extensions": _ca_exts(None, None),
            },
            "interm": {
                "issuer": "root",
                "validity": validity(365 * 10),
                "extensions": _ca_exts("root", 0),
            },
            "interm-ocsp": {
                "issuer": "interm",
                "validity": validity(365 * 10),
                "extensions": [
                    _ext_key_usage("digital_signature"),
                    {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                    {"id": "ocsp_no_check"},
                ],
            },
            "tsa": {
                "issuer": "root",
                "validity": validity(365 * 10),
                "extensions": [
                    _ext_key_usage("digital_signature"),
                    {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]},
                    _ext_crl("root"),
                ],
            },
            "kadis": dict(signer),
            "kadis-revoked": {
                **signer,
                "revocation": {
                    "revoked-since": _iso(start + timedelta(hours=1)),
                    "reason": "key_compromise",
                },
            },
            "kadis-expired": {
                **signer,
                "validity": validity(30, start - timedelta(days=400)),
            },
            "rogue-root": {
                "subject": "rogue-root",
                "issuer": "rogue-root",
                "validity": validity(365 * 20),
                "extensions": _ca_exts(None, None),
            },
            "rogue-signer": {
                "issuer": "rogue-root",
                "validity": validity(730),
                "extensions": [_ext_key_usage("digital_signature", "non_repudiation")],
            },
        },
        "services": {
            "ocsp": {
                "interm": {
                    "for-issuer": "interm",
                    "responder-cert": "interm-ocsp",
                    "signing-key": "interm-ocsp",
                }
            },
            "crl-repo": {
                "root": {
                    "for-issuer": "root",
                    "signing-key": "root",
                    "simulated-update-schedule": "P7D",
                },
                "interm": {
                    "for-issuer": "interm",
                    "signing-key": "interm",
                    "simulated-update-schedule": "P7D",
                },
            },
            "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
        },
    }
    return {
        "external-url-prefix": service_url,
        "keysets": {
            ARCH_LABEL: {
                "path-prefix": "keys",
                "keys": {label: {"path": f"{label}.key.pem"} for label in _KEY_LABELS},
            }
        },
        "pki-architectures": {ARCH_LABEL: arch},
    }


def _write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.chmod(mode)
    tmp.replace(path)


def _make_keys(key_dir: Path) -> None:
    key_dir.mkdir(parents=True, exist_ok=True)
    for label in _KEY_LABELS:
        path = key_dir / f"{label}.key.pem"
        if path.exists():
            continue
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_atomic(path, data, 0o600)


def load_architecture(folder: Path) -> PKIArchitecture:
    """Load the certomancer architecture of a PKI created by :func:`ensure_dev_pki`."""
    config = CertomancerConfig.from_file(str(folder / "pki.yml"), key_search_dir=str(folder))
    return config.get_pki_arch(ArchLabel(ARCH_LABEL))


def _fresh_crl(arch: PKIArchitecture, repo: str, now: datetime) -> asn1_crl.CertificateList:
    """Issue a CRL valid from just before ``now`` for ``CRL_LIFETIME`` (numbered by time)."""
    registry = arch.service_registry
    info = registry.get_crl_repo_info(ServiceLabel(repo))
    key_pair = arch.key_set.get_asym_key(info.signing_key)
    issuer_label = info.issuer_cert or info.resolve_issuer_cert(arch)
    issuer_cert = arch.get_cert(issuer_label)
    this_update = (now - timedelta(minutes=5)).replace(microsecond=0)
    builder = CRLBuilder(
        issuer_name=arch.entities[info.crl_issuer or info.for_issuer],
        issuer_key=key_pair.private,
        signature_algo=choose_signed_digest(
            info.digest_algo, key_pair.public, signature_algo=info.signature_algo
        ),
        authority_key_identifier=issuer_cert.key_identifier_value,
    )
    revoked = list(arch.get_revoked_certs_at_time(at_time=this_update, crl_info=info))
    return builder.build_crl(
        crl_number=int(this_update.timestamp()),
        this_update=this_update,
        next_update=this_update + CRL_LIFETIME,
        revoked_certs=revoked,
        distpoint=info.format_idp(arch.entities),
    )


def _crl_needs_refresh(path: Path, now: datetime) -> bool:
    if not path.exists():
        return True
    try:
        parsed = asn1_crl.CertificateList.load(path.read_bytes())
        next_update: datetime = parsed["tbs_cert_list"]["next_update"].native
    except (ValueError, TypeError, KeyError):
        return True
    return next_update - now < CRL_REFRESH_MARGIN


def _write_cert(arch: PKIArchitecture, label: str, path: Path) -> None:
    if not path.exists():
        der = arch.get_cert(CertLabel(label)).dump()
        _write_atomic(path, pem.armor("CERTIFICATE", der))


def ensure_dev_pki(
    folder: Path, *, kadis_passphrase: str, service_url: str = DEFAULT_SERVICE_URL
) -> DevPki:
    """Create the development PKI under ``folder`` if missing and refresh CRLs near expiry.

    ``service_url`` is the base URL baked into the certificates' CRL and OCSP pointers; it only
    matters when the PKI is also served (tests), and is fixed once the PKI exists.
    """
    folder = Path(folder)
    now = datetime.now(UTC)
    with _LOCK:
        try:
            return _ensure(folder, kadis_passphrase.encode(), service_url, now)
        except (OSError, ValueError, KeyError) as exc:
            raise PkiError(f"could not create the development PKI under {folder}") from exc


_CERT_LABELS = ("root", "interm", "interm-ocsp", "tsa", "kadis", "rogue-root", *TEST_SIGNERS)


def _paths(folder: Path) -> DevPki:
    cert_dir, crl_dir = folder / "certs", folder / "crls"
    return DevPki(
        root_cert=cert_dir / "root.cert.pem",
        intermediate_cert=cert_dir / "interm.cert.pem",
        kadis_p12=folder / "kadis.p12",
        tsa_cert=cert_dir / "tsa.cert.pem",
        tsa_key=folder / "keys" / "tsa.key.pem",
        crls=tuple(crl_dir / f"{repo}.crl" for repo in _CRL_REPOS),
        ocsp_cert=cert_dir / "interm-ocsp.cert.pem",
        folder=folder,
    )


def existing_dev_pki(folder: Path) -> DevPki | None:
    """Return the development PKI under ``folder`` as it is, or None: creates and refreshes nothing.

    For the commands that promise to write nothing (``pintu verify``, ``pintu check``).
    """
    pki = _paths(Path(folder))
    needed = (pki.root_cert, pki.intermediate_cert, pki.tsa_cert, *pki.crls)
    return pki if all(p.is_file() for p in needed) else None


def _ensure(folder: Path, passphrase: bytes, service_url: str, now: datetime) -> DevPki:
    cert_dir, crl_dir = folder / "certs", folder / "crls"
    pki = _paths(folder)
    expected = [
        *(cert_dir / f"{label}.cert.pem" for label in _CERT_LABELS),
        *(folder / name for name in ("kadis.p12", *TEST_SIGNERS.values())),
        pki.tsa_key,
    ]
    stale = [p for p in pki.crls if _crl_needs_refresh(p, now)]
    if not stale and all(p.exists() for p in expected):
        return pki  # the common case: cheap enough to call before every signing
    folder.mkdir(parents=True, exist_ok=True)
    config_path = folder / "pki.yml"
    _make_keys(folder / "keys")
    if not config_path.exists():
        config = _build_config(now, service_url)
        _write_atomic(config_path, yaml.safe_dump(config, sort_keys=False).encode())
    arch = load_architecture(folder)
    cert_dir.mkdir(exist_ok=True)
    for label in _CERT_LABELS:
        _write_cert(arch, label, cert_dir / f"{label}.cert.pem")
    for label, name in (("kadis", "kadis.p12"), *TEST_SIGNERS.items()):
        path = folder / name
        if not path.exists():
            p12 = arch.package_pkcs12(CertLabel(label), password=passphrase)
            _write_atomic(path, p12, 0o600)
    crl_dir.mkdir(exist_ok=True)
    for repo, path in zip(_CRL_REPOS, pki.crls, strict=True):
        if _crl_needs_refresh(path, now):
            _write_atomic(path, _fresh_crl(arch, repo, now).dump())
    return pki
