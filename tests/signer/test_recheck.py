"""The proportional check of a fresh signature refuses outputs that are not what was produced."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from asn1crypto import x509

from signer import (
    DevPki,
    SignatureNotValid,
    SignatureRequest,
    Signer,
    TimestampConfig,
    TrustConfig,
    load_pkcs12,
    verify_pdf,
)
from signer._recheck import _slots, check_produced
from tests.fixtures.pki import PASSPHRASE, make_pdf


def _request(level: str, **changes: object) -> SignatureRequest:
    base = SignatureRequest(
        signer_name="Dr. Rahmat Hidayat, S.Sos., M.Si.",
        nip="197003151995031002",
        position="Kepala DPMPTSP Kabupaten Mempawah",
        level=level,  # type: ignore[arg-type]
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def signer_and_key(dev_pki: DevPki) -> tuple[Signer, object]:
    signer = Signer(TrustConfig.from_dev_pki(dev_pki), TimestampConfig.from_dev_pki(dev_pki))
    return signer, load_pkcs12(dev_pki.kadis_p12, PASSPHRASE)


@pytest.fixture(scope="module")
def outputs(signer_and_key: tuple[Signer, object]) -> dict[str, tuple[bytes, bytes]]:
    signer, key = signer_and_key
    original = make_pdf(pages=2)
    return {
        level: (original, signer.sign(original, key, _request(level)).pdf)  # type: ignore[arg-type]
        for level in ("B-B", "B-T", "B-LT", "B-LTA")
    }


def _kadis(dev_pki: DevPki) -> tuple[x509.Certificate, list[x509.Certificate]]:
    key = load_pkcs12(dev_pki.kadis_p12, PASSPHRASE)
    intermediate = [c for c in key.chain if c.self_signed == "no"]
    return key.certificate, [key.certificate, *intermediate]


@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_what_was_produced_passes_at_its_level(
    level: str, outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    original, signed = outputs[level]
    cert, path = _kadis(dev_pki)
    produced = check_produced(original, signed, cert, path, level)  # type: ignore[arg-type]
    assert produced.level == level
    assert produced.signing_time is not None
    assert (produced.timestamp_time is None) == (level == "B-B")
    assert len(produced.tsa_certificates) == {"B-B": 0, "B-T": 1, "B-LT": 1, "B-LTA": 2}[level]


def test_a_changed_byte_in_the_signed_range_is_refused(
    outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    original, signed = outputs["B-B"]
    at = signed.index(b"Penerbitan Sertifikat Standar", len(original))  # the /Reason, signed
    tampered = signed[:at] + b"X" + signed[at + 1 :]
    with pytest.raises(SignatureNotValid, match="message digest"):
        check_produced(original, tampered, *_kadis(dev_pki), "B-B")


def test_a_changed_signature_value_is_refused(
    outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    original, signed = outputs["B-B"]
    cert, path = _kadis(dev_pki)
    start = signed.index(b"/Contents <", len(original)) + len(b"/Contents <")
    der_hex = re.match(rb"[0-9a-fA-F]*", signed[start:]).group(0).rstrip(b"0")  # type: ignore[union-attr]
    # the signature value is the last long octet string of a B-B CMS: flip one of its digits
    at = start + len(der_hex) - 20
    flipped = b"1" if signed[at : at + 1] != b"1" else b"2"
    tampered = signed[:at] + flipped + signed[at + 1 :]
    with pytest.raises(SignatureNotValid, match="does not verify"):
        check_produced(original, tampered, cert, path, "B-B")


def test_a_signature_of_another_key_is_refused(
    outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    original, signed = outputs["B-B"]
    other = load_pkcs12(dev_pki.test_signer_p12("rogue-signer"), PASSPHRASE).certificate
    with pytest.raises(SignatureNotValid, match="another certificate"):
        check_produced(original, signed, other, [other], "B-B")


def test_output_that_does_not_extend_the_original_is_refused(
    outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    _, signed = outputs["B-B"]
    with pytest.raises(SignatureNotValid, match="extend"):
        check_produced(make_pdf(pages=1), signed, *_kadis(dev_pki), "B-B")


def test_a_level_short_of_the_request_is_refused(
    outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    original, signed = outputs["B-LT"]
    with pytest.raises(SignatureNotValid, match="reached B-LT instead of B-LTA"):
        check_produced(original, signed, *_kadis(dev_pki), "B-LTA")
    original, signed = outputs["B-T"]
    with pytest.raises(SignatureNotValid, match="revocation data"):
        check_produced(original, signed, *_kadis(dev_pki), "B-LT")


def test_revocation_data_must_vouch_for_each_certificate_of_the_path(
    outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    original, signed = outputs["B-LTA"]
    cert, path = _kadis(dev_pki)
    stranger = load_pkcs12(dev_pki.test_signer_p12("rogue-signer"), PASSPHRASE).certificate
    with pytest.raises(SignatureNotValid, match="no good revocation data"):
        check_produced(original, signed, cert, [*path, stranger], "B-LTA")


def test_full_recheck_stays_available_and_agrees(
    dev_pki: DevPki, signer_and_key: tuple[Signer, object], tmp_path: Path
) -> None:
    trust = TrustConfig.from_dev_pki(dev_pki)
    full = Signer(trust, TimestampConfig.from_dev_pki(dev_pki), full_recheck=True)
    _, key = signer_and_key
    try:
        result = full.sign(make_pdf(), key, _request("B-LTA"))  # type: ignore[arg-type]
    finally:
        full.close()
    assert result.level == "B-LTA"
    assert verify_pdf(result.pdf, trust).status == "VALID"


def test_stamp_text_is_extractable_from_the_prepared_font(
    outputs: dict[str, tuple[bytes, bytes]], tmp_path: Path
) -> None:
    _, signed = outputs["B-B"]
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    done = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
    )
    extracted = done.stdout
    assert "Ditandatangani secara elektronik oleh:" in extracted
    assert "NIP. 197003151995031002" in extracted


def test_text_that_spells_a_byte_range_is_not_taken_for_one(
    outputs: dict[str, tuple[bytes, bytes]],
) -> None:
    original, signed = outputs["B-B"]
    decoy = b"\n% /ByteRange [0 10 20 30] /Contents <00>\n"
    slots = _slots(original, signed + decoy)
    assert len(slots) == 1
    assert slots[0].subfilter == b"ETSI.CAdES.detached"


def test_a_byte_range_that_misses_its_contents_leaves_no_signature(
    outputs: dict[str, tuple[bytes, bytes]], dev_pki: DevPki
) -> None:
    original, signed = outputs["B-B"]
    match = re.search(rb"/ByteRange \[0 (\d+) ", signed[len(original) :])
    assert match is not None
    wrong = str(int(match.group(1)) + 1).encode()
    at = len(original) + match.start(1)
    tampered = signed[:at] + wrong + signed[at + len(match.group(1)) :]
    with pytest.raises(SignatureNotValid, match="0 PAdES signatures"):
        check_produced(original, tampered, *_kadis(dev_pki), "B-B")
