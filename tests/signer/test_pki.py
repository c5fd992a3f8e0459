"""The development PKI generator: idempotent, CRLs refreshed before they expire, small surface."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import crl as asn1_crl

import signer
from signer import DevPki, ensure_dev_pki, load_pkcs12
from signer._pki import _fresh_crl, load_architecture
from tests.fixtures.pki import PASSPHRASE


def _next_update(path: Path) -> datetime:
    return asn1_crl.CertificateList.load(path.read_bytes())["tbs_cert_list"]["next_update"].native


@pytest.fixture
def pki_copy(dev_pki: DevPki, tmp_path: Path) -> Path:
    """A private copy of the session's PKI folder (key generation is the slow part)."""
    folder = tmp_path / "pki"
    shutil.copytree(dev_pki.folder, folder)
    return folder


def test_first_call_creates_everything(tmp_path: Path) -> None:
    pki = ensure_dev_pki(tmp_path / "new", kadis_passphrase=PASSPHRASE)
    for path in (pki.root_cert, pki.intermediate_cert, pki.kadis_p12, pki.tsa_cert, pki.tsa_key):
        assert path.is_file()
    assert [p.name for p in pki.crls] == ["root.crl", "interm.crl"]


def test_second_call_reuses_every_file(pki_copy: Path) -> None:
    tmp_path = pki_copy
    first = ensure_dev_pki(tmp_path, kadis_passphrase=PASSPHRASE)
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    second = ensure_dev_pki(tmp_path, kadis_passphrase=PASSPHRASE)
    assert first == second
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files
    key = load_pkcs12(second.kadis_p12, PASSPHRASE)
    assert "Kepala Dinas" in key.subject and "Mempawah" in key.subject
    assert len(key.chain) == 2  # intermediate and root travel with the key


def test_crls_close_to_expiry_are_refreshed(pki_copy: Path) -> None:
    tmp_path = pki_copy
    pki = ensure_dev_pki(tmp_path, kadis_passphrase=PASSPHRASE)
    arch = load_architecture(tmp_path)
    old = _fresh_crl(arch, "interm", datetime.now(UTC) - timedelta(days=6))
    stale_path = next(p for p in pki.crls if p.name == "interm.crl")
    stale_path.write_bytes(old.dump())
    assert _next_update(stale_path) - datetime.now(UTC) < timedelta(days=2)
    ensure_dev_pki(tmp_path, kadis_passphrase=PASSPHRASE)
    assert _next_update(stale_path) - datetime.now(UTC) > timedelta(days=6)
    revoked = asn1_crl.CertificateList.load(stale_path.read_bytes())["tbs_cert_list"]
    assert len(revoked["revoked_certificates"]) == 1  # the revoked test signer


def test_public_surface_is_exported() -> None:
    for name in signer.__all__:
        assert hasattr(signer, name), name
    assert callable(signer.render_pdf)
