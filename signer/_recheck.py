"""Check a freshly signed PDF against what was just produced, in proportion to what was added.

``Signer.sign`` has the original bytes, the key's certificate (its path and revocation status
checked moments before) and the TSA certificates it trusts. So instead of validating the
whole document from scratch, it checks the new revisions only:

- each new signature dictionary's ``/ByteRange`` starts at 0, leaves out exactly its own
  ``/Contents`` hex string, covers the whole original and ends on a revision boundary (the
  last one at the end of the file);
- the signature's CMS: one signer, identified as the key's certificate, which it embeds; the
  ``message-digest`` over the byte range, ``content-type``, ``signing-certificate-v2`` and the
  algorithm protection attribute; the signature value verified with the certificate's key;
- a signature timestamp (B-T and up) whose imprint is the signature value, and a document
  timestamp (B-LTA) whose imprint is the covered file, each signed by the TSA certificate it
  names (which the caller checks against its trust settings);
- for B-LT and B-LTA, a DSS whose CRLs or OCSP responses vouch for every certificate of the
  signer's path and the signature timestamp's TSA. Only these levels may add revisions after
  the signed ones (pyHanko's DSS updates, after the signature and after the document
  timestamp); they carry no signature, and the reader that finds the DSS parses their xrefs.

A full validation of any PDF stays available through ``verify_pdf`` (``pintu verify``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import cms, ocsp, tsp, x509
from asn1crypto import crl as asn1_crl
from cryptography import x509 as pyca_x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from pyhanko.pdf_utils.generic import DictionaryObject, parse_pdf_date, read_string_from_stream
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader

from ._types import PadesLevel
from .errors import SignatureNotValid

__all__ = ["Produced", "UnsupportedMechanism", "check_produced"]

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
_SUBFILTER = re.compile(rb"/SubFilter\s*/([A-Za-z0-9.]+)")
_SIGNING_TIME = re.compile(rb"/M\s*(?=\()")
_EOF = re.compile(rb"%%EOF\r?\n?\Z")
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class UnsupportedMechanism(Exception):
    """A signature mechanism this check does not know: the caller validates in full instead."""


@dataclass(frozen=True, slots=True)
class Produced:
    """What the new revisions were found to hold."""

    level: PadesLevel
    signing_time: datetime | None
    """The signature timestamp's time, else the signer's claimed time (/M)."""
    timestamp_time: datetime | None
    tsa_certificates: tuple[x509.Certificate, ...]
    """Certificates that signed the timestamps (the caller checks that it trusts them)."""


@dataclass(frozen=True, slots=True)
class _Slot:
    """One signature dictionary of the new revisions, located by its ``/ByteRange``."""

    start: int  # offset of '<' of /Contents
    end: int  # offset after '>'
    covered_end: int  # end of the second range = end of the revision it signs
    subfilter: bytes
    content: cms.ContentInfo
    claimed_time: datetime | None
    """The dictionary's /M (the signer's own clock), if any."""


def _fail(message: str) -> SignatureNotValid:
    return SignatureNotValid(
        f"signed output failed its check: {message}",
        detail_id="Hasil tanda tangan tidak lolos verifikasi; izin tidak disimpan.",
    )


def _slots(original: bytes, signed: bytes) -> list[_Slot]:
    """Locate the signature dictionaries the new revisions hold, by their ``/ByteRange``.

    A ``/ByteRange [...]`` that does not leave out a ``<...>`` string of the new revisions and
    end on a revision boundary is not one (stamp text, for one, may spell the words): it is
    skipped, and the caller requires the number of signatures it expects.
    """
    found: list[_Slot] = []
    seen: set[tuple[int, int]] = set()
    for match in _BYTE_RANGE.finditer(signed, len(original)):
        zero, start, end, length = (int(g) for g in match.groups())
        covered_end = end + length
        if (
            zero != 0
            or not len(original) <= start < end <= covered_end <= len(signed)
            or signed[start : start + 1] != b"<"
            or signed[end - 1 : end] != b">"
            or not (end <= match.start() or match.end() <= start)
            or not _EOF.search(signed, max(0, covered_end - 8), covered_end)
            or (start, end) in seen
        ):
            continue
        seen.add((start, end))
        opening = signed.rfind(b" obj", len(original), start)
        closing = signed.find(b"endobj", end)
        if opening < 0 or closing < 0:
            raise _fail("a signature dictionary is not a complete object")
        around = signed[opening:start] + signed[end:closing]
        subfilter = _SUBFILTER.search(around)
        try:
            der = bytes.fromhex(signed[start + 1 : end - 1].decode("ascii"))
            content = cms.ContentInfo.load(der, strict=False)  # the zero padding is ignored
            content["content_type"].native  # noqa: B018 - forces parsing
        except (ValueError, TypeError) as exc:
            raise _fail("/Contents is not a CMS object") from exc
        claimed = _SIGNING_TIME.search(around)
        try:
            claimed_time = (
                parse_pdf_date(str(read_string_from_stream(BytesIO(around[claimed.end() :]))))
                if claimed
                else None
            )
        except (ValueError, PdfReadError) as exc:
            raise _fail("the signature's /M is not a PDF date") from exc
        found.append(
            _Slot(
                start,
                end,
                covered_end,
                subfilter.group(1) if subfilter else b"",
                content,
                claimed_time,
            )
        )
    return found


def _covered_digest(signed: bytes, slot: _Slot, algorithm: str) -> bytes:
    view = memoryview(signed)
    digest = hashlib.new(algorithm)
    digest.update(view[: slot.start])
    digest.update(view[slot.end : slot.covered_end])
    return digest.digest()


def _attr(attrs: cms.CMSAttributes, name: str) -> object:
    values = [a["values"] for a in attrs if a["type"].native == name]
    if len(values) != 1 or len(values[0]) != 1:
        raise _fail(f"expected exactly one {name} attribute")
    return values[0][0]


def _public_key(cert: x509.Certificate) -> object:
    return pyca_x509.load_der_x509_certificate(cert.dump()).public_key()


def _signed_bytes(info: cms.SignerInfo) -> bytes:
    """Return the signed attributes as signed: their encoding as read, re-tagged as a SET OF.

    Call before reading any attribute: asn1crypto re-encodes a structure whose children were
    parsed, and the check must see the bytes of the file, not a re-encoding.
    """
    tagged: bytes = info["signed_attrs"].dump()
    return b"\x31" + tagged[1:]  # stored as [0] IMPLICIT


def _verify_signer_info(info: cms.SignerInfo, data: bytes, cert: x509.Certificate) -> None:
    """Verify the signature value over ``data`` (the signed attributes), under ``cert``'s key."""
    mechanism = info["signature_algorithm"].signature_algo
    algorithm = info["digest_algorithm"]["algorithm"].native
    if algorithm not in _HASHES:
        raise UnsupportedMechanism(algorithm)
    signature = info["signature"].native
    key = _public_key(cert)
    try:
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPublicKey):
            key.verify(signature, data, PKCS1v15(), _HASHES[algorithm]())
        elif mechanism == "ecdsa" and isinstance(key, EllipticCurvePublicKey):
            key.verify(signature, data, ECDSA(_HASHES[algorithm]()))
        else:
            raise UnsupportedMechanism(mechanism)
    except InvalidSignature as exc:
        raise _fail("the signature value does not verify with the certificate") from exc
    protection = [a for a in info["signed_attrs"] if a["type"].native == "cms_algorithm_protection"]
    for attr in protection:
        value = attr["values"][0]
        if value["digest_algorithm"]["algorithm"].native != algorithm:
            raise _fail("the algorithm protection attribute names another digest")


def _signer(signed_data: cms.SignedData) -> tuple[cms.SignerInfo, x509.Certificate]:
    infos = signed_data["signer_infos"]
    if len(infos) != 1:
        raise _fail(f"{len(infos)} signer infos instead of one")
    info = infos[0]
    sid = info["sid"]
    if sid.name != "issuer_and_serial_number":
        raise _fail("the signer is not identified by issuer and serial number")
    wanted = sid.chosen
    issuer, serial = wanted["issuer"].dump(), wanted["serial_number"].native
    for choice in signed_data["certificates"]:
        cert = choice.chosen
        if (
            isinstance(cert, x509.Certificate)
            and cert.serial_number == serial
            and cert["tbs_certificate"]["issuer"].dump() == issuer
        ):
            return info, cert
    raise _fail("the CMS does not carry the certificate it names as signer")


def _check_signature(signed: bytes, slot: _Slot, cert: x509.Certificate) -> cms.SignerInfo:
    if slot.content["content_type"].native != "signed_data":
        raise _fail("the signature's CMS is not SignedData")
    signed_data = slot.content["content"]
    info, embedded = _signer(signed_data)
    signed_bytes = _signed_bytes(info)
    if embedded.dump() != cert.dump():
        raise _fail("the CMS was signed for another certificate than the key's")
    algorithm = info["digest_algorithm"]["algorithm"].native
    attrs = info["signed_attrs"]
    if _attr(attrs, "content_type").native != "data":  # type: ignore[attr-defined]
        raise _fail("the content-type attribute is not 'data'")
    if algorithm not in _HASHES:
        raise UnsupportedMechanism(algorithm)
    if _attr(attrs, "message_digest").native != _covered_digest(signed, slot, algorithm):  # type: ignore[attr-defined]
        raise _fail("the message digest does not match the signed byte range")
    ess = _attr(attrs, "signing_certificate_v2")
    ess_cert = ess["certs"][0]  # type: ignore[index]
    ess_algorithm = ess_cert["hash_algorithm"]["algorithm"].native
    if ess_cert["cert_hash"].native != hashlib.new(ess_algorithm, cert.dump()).digest():
        raise _fail("the signing-certificate-v2 attribute names another certificate")
    _verify_signer_info(info, signed_bytes, cert)
    return info


def _check_token(token: cms.ContentInfo, data: bytes) -> tuple[x509.Certificate, datetime]:
    """Check an RFC 3161 token over ``data``, signed by the certificate it embeds."""
    if token["content_type"].native != "signed_data":
        raise _fail("a timestamp token is not SignedData")
    signed_data = token["content"]
    encap = signed_data["encap_content_info"]
    if encap["content_type"].native != "tst_info":
        raise _fail("a timestamp token does not hold TSTInfo")
    tst_info = encap["content"].parsed
    if not isinstance(tst_info, tsp.TSTInfo):
        raise _fail("a timestamp token's TSTInfo does not parse")
    imprint = tst_info["message_imprint"]
    algorithm = imprint["hash_algorithm"]["algorithm"].native
    if imprint["hashed_message"].native != hashlib.new(algorithm, data).digest():
        raise _fail("a timestamp's imprint does not match what it should cover")
    info, tsa_cert = _signer(signed_data)
    signed_bytes = _signed_bytes(info)
    attrs = info["signed_attrs"]
    digest_algorithm = info["digest_algorithm"]["algorithm"].native
    if digest_algorithm not in _HASHES:
        raise UnsupportedMechanism(digest_algorithm)
    content = encap["content"].contents
    if _attr(attrs, "message_digest").native != hashlib.new(digest_algorithm, content).digest():  # type: ignore[attr-defined]
        raise _fail("a timestamp token's message digest does not match its TSTInfo")
    _verify_signer_info(info, signed_bytes, tsa_cert)
    return tsa_cert, tst_info["gen_time"].native


def _revinfo(signed: bytes) -> tuple[list[asn1_crl.CertificateList], list[ocsp.OCSPResponse]]:
    try:
        reader = PdfFileReader(BytesIO(signed), strict=False)
        dss = reader.root.get("/DSS")
        if dss is None:
            return [], []
        dss = dss.get_object()
        if not isinstance(dss, DictionaryObject):
            raise _fail("the DSS is not a dictionary")
        crls: list[asn1_crl.CertificateList] = []
        responses: list[ocsp.OCSPResponse] = []
        for key in ("/CRLs", "/OCSPs"):
            array = dss.get(key)
            for ref in array.get_object() if array is not None else ():
                data = ref.get_object().data
                if key == "/CRLs":
                    crls.append(asn1_crl.CertificateList.load(data))
                else:
                    responses.append(ocsp.OCSPResponse.load(data))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _fail("the DSS could not be read") from exc
    return crls, responses


def _vouched(
    cert: x509.Certificate, crls: list[asn1_crl.CertificateList], responses: list[ocsp.OCSPResponse]
) -> bool:
    serial = cert.serial_number
    issuer = cert["tbs_certificate"]["issuer"].dump()
    from_issuer = [
        c["tbs_cert_list"] for c in crls if c["tbs_cert_list"]["issuer"].dump() == issuer
    ]
    if any(
        entry["user_certificate"].native == serial
        for tbs in from_issuer
        for entry in tbs["revoked_certificates"] or ()
    ):
        return False
    if from_issuer:
        return True
    for response in responses:
        if response["response_status"].native != "successful":
            continue
        basic = response["response_bytes"]["response"].parsed
        for single in basic["tbs_response_data"]["responses"]:
            if single["cert_id"]["serial_number"].native == serial:
                return bool(single["cert_status"].name == "good")
    return False


def check_produced(
    original: bytes,
    signed: bytes,
    cert: x509.Certificate,
    path: Sequence[x509.Certificate],
    expected: PadesLevel,
) -> Produced:
    """Check the revisions ``signed`` added to ``original`` (see the module docstring).

    ``path`` holds the certificates below the trust anchor that need revocation data (the
    signer's first). Raises ``SignatureNotValid`` on any mismatch, ``UnsupportedMechanism`` when
    the signature uses an algorithm this check does not implement.
    """
    if not signed.startswith(original):
        raise _fail("the output does not extend the original bytes")
    slots = _slots(original, signed)
    signatures = [s for s in slots if s.subfilter == b"ETSI.CAdES.detached"]
    stamps = [s for s in slots if s.subfilter == b"ETSI.RFC3161"]
    if len(signatures) != 1 or len(signatures) + len(stamps) != len(slots):
        raise _fail(f"{len(signatures)} PAdES signatures and {len(stamps)} timestamps added")
    slot = signatures[0]
    info = _check_signature(signed, slot, cert)
    level: PadesLevel = "B-B"
    timestamp_time = None
    tsa_certs: list[x509.Certificate] = []
    unsigned = info["unsigned_attrs"]
    tokens = [
        a["values"]
        for a in (unsigned if unsigned.native is not None else ())
        if a["type"].native == "signature_time_stamp_token"
    ]
    if tokens:
        if len(tokens) != 1 or len(tokens[0]) != 1:
            raise _fail("more than one signature timestamp")
        tsa_cert, timestamp_time = _check_token(tokens[0][0], info["signature"].native)
        tsa_certs.append(tsa_cert)
        level = "B-T"
    if expected in ("B-LT", "B-LTA") and level == "B-T":
        crls, responses = _revinfo(signed)
        if not crls and not responses:
            raise _fail("no revocation data in the DSS")
        for needed in (*path, tsa_certs[0]):
            if not _vouched(needed, crls, responses):
                subject = needed.subject.human_friendly
                raise _fail(f"the DSS holds no good revocation data for {subject}")
        level = "B-LT"
    if stamps:
        if level != "B-LT" or len(stamps) != 1:
            raise _fail("a document timestamp where none was due")
        stamp = stamps[0]
        if stamp.start < slot.covered_end:
            raise _fail("the document timestamp does not cover the signature's revision")
        view = memoryview(signed)
        covered = bytes(view[: stamp.start]) + bytes(view[stamp.end : stamp.covered_end])
        tsa_cert, _ = _check_token(stamp.content, covered)
        tsa_certs.append(tsa_cert)
        level = "B-LTA"
    elif slot.covered_end != len(signed) and level != "B-LT":
        raise _fail("the signature does not cover the whole file")
    if level != expected:
        raise _fail(f"reached {level} instead of {expected}")
    return Produced(
        level=level,
        signing_time=timestamp_time or slot.claimed_time,
        timestamp_time=timestamp_time,
        tsa_certificates=tuple(tsa_certs),
    )
