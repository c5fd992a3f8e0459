"""PAdES CMS signatures assembled from DER parts encoded once per key.

pyHanko builds every CMS ``SignedData`` as a tree of fresh asn1crypto objects: the
signing-certificate-v2 attribute (issuer name, serial, certificate hash), the signer identifier,
the certificate set and the algorithm identifiers are encoded again for each signature, and
re-tagging copies the whole tree twice. For one key these parts never change, so
``CmsTemplate`` encodes them once (with asn1crypto, exactly as pyHanko would) and each signature
only adds what is its own: the message digest, the signature value and the unsigned attributes
(the signature timestamp). The result is the same structure pyHanko writes for a PAdES
signature (signed attributes content-type, message-digest and signing-certificate-v2; no
signing-time), in DER.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from asn1crypto import algos, cms, x509
from pyhanko.sign.general import as_signing_certificate_v2

__all__ = ["CmsTemplate", "signed_data", "signer_info", "tlv"]


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    """One DER element: identifier octet ``tag``, definite length, ``content``."""
    return bytes([tag]) + _length(len(content)) + content


_SEQUENCE, _SET, _OCTET_STRING, _INTEGER = 0x30, 0x31, 0x04, 0x02
_CONTEXT_0, _CONTEXT_1 = 0xA0, 0xA1  # [0] / [1], constructed
_VERSION_1 = tlv(_INTEGER, b"\x01")
_DATA = cms.ContentType("data").dump()
_SIGNED_DATA = cms.ContentType("signed_data").dump()


def signer_info(
    signer_id: bytes,
    digest_algorithm: bytes,
    signed_attributes: bytes,
    signature_algorithm: bytes,
    signature: bytes,
    unsigned: cms.CMSAttributes | None = None,
) -> bytes:
    """DER of a version 1 ``SignerInfo`` (issuer and serial), from encoded parts.

    ``signed_attributes`` is the SET OF as signed; it is stored as [0] IMPLICIT.
    """
    parts = [
        _VERSION_1,
        signer_id,
        digest_algorithm,
        bytes([_CONTEXT_0]) + signed_attributes[1:],
        signature_algorithm,
        tlv(_OCTET_STRING, signature),
    ]
    if unsigned is not None and len(unsigned) > 0:
        parts.append(bytes([_CONTEXT_1]) + unsigned.dump()[1:])  # [1] IMPLICIT
    return tlv(_SEQUENCE, b"".join(parts))


def signed_data(
    version: int,
    digest_algorithm: bytes,
    encapsulated: bytes,
    certificates_content: bytes,
    one_signer_info: bytes,
) -> bytes:
    """DER of a ``ContentInfo`` holding a SignedData with one signer.

    ``encapsulated`` is the EncapsulatedContentInfo; ``certificates_content`` the DER of the
    certificates, in ascending order (a SET OF), stored as [0] IMPLICIT.
    """
    body = tlv(
        _SEQUENCE,
        tlv(_INTEGER, bytes([version]))
        + tlv(_SET, digest_algorithm)
        + encapsulated
        + tlv(_CONTEXT_0, certificates_content)
        + tlv(_SET, one_signer_info),
    )
    return tlv(_SEQUENCE, _SIGNED_DATA + tlv(_CONTEXT_0, body))


def _attribute(kind: str, value: object) -> bytes:
    """DER of a CMS attribute with one value, as pyHanko's ``simple_cms_attribute`` makes it."""
    attribute = cms.CMSAttribute({"type": cms.CMSAttributeType(kind), "values": (value,)})
    encoded: bytes = attribute.dump()
    return encoded


def _set_of(elements: list[bytes]) -> bytes:
    """DER SET OF: the elements' encodings in ascending order."""
    return tlv(_SET, b"".join(sorted(elements)))


@dataclass(frozen=True, slots=True)
class CmsTemplate:
    """The constant DER of one key's PAdES signatures with one digest and one mechanism."""

    digest_algorithm: str
    digest_algorithm_der: bytes
    signature_algorithm_der: bytes
    signer_id_der: bytes
    certificates_content: bytes
    content_type_attr_der: bytes
    signing_certificate_attr_der: bytes
    message_digest_type_der: bytes

    @classmethod
    def build(
        cls,
        signing_cert: x509.Certificate,
        certificates: list[x509.Certificate],
        digest_algorithm: str,
        signature_algorithm: algos.SignedDigestAlgorithm,
    ) -> CmsTemplate:
        """Encode the parts that pyHanko's ``Signer`` would encode for each signature."""
        unique = {c.dump(): None for c in [*certificates, signing_cert]}
        return cls(
            digest_algorithm=digest_algorithm,
            digest_algorithm_der=algos.DigestAlgorithm({"algorithm": digest_algorithm}).dump(),
            signature_algorithm_der=signature_algorithm.dump(),
            signer_id_der=cms.IssuerAndSerialNumber(
                {"issuer": signing_cert.issuer, "serial_number": signing_cert.serial_number}
            ).dump(),
            certificates_content=b"".join(sorted(unique)),
            content_type_attr_der=_attribute("content_type", "data"),
            signing_certificate_attr_der=_attribute(
                "signing_certificate_v2", as_signing_certificate_v2(signing_cert)
            ),
            message_digest_type_der=cms.CMSAttributeType("message_digest").dump(),
        )

    def signed_attributes(self, data_digest: bytes) -> bytes:
        """DER of the signed attributes (a SET OF, as signed) for a document digest."""
        if len(data_digest) != hashlib.new(self.digest_algorithm).digest_size:
            raise ValueError("the digest does not fit the template's digest algorithm")
        message_digest = tlv(
            _SEQUENCE,
            self.message_digest_type_der + tlv(_SET, tlv(_OCTET_STRING, data_digest)),
        )
        return _set_of(
            [self.content_type_attr_der, message_digest, self.signing_certificate_attr_der]
        )

    def assemble(
        self, signed_attributes: bytes, signature: bytes, unsigned: cms.CMSAttributes | None
    ) -> cms.ContentInfo:
        """Return the ``ContentInfo`` of a detached SignedData holding one signer's signature."""
        info = signer_info(
            self.signer_id_der,
            self.digest_algorithm_der,
            signed_attributes,
            self.signature_algorithm_der,
            signature,
            unsigned,
        )
        content_info = signed_data(
            1, self.digest_algorithm_der, tlv(_SEQUENCE, _DATA), self.certificates_content, info
        )
        loaded: cms.ContentInfo = cms.ContentInfo.load(content_info)
        return loaded
