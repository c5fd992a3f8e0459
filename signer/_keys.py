"""Key backends behind one interface: a ``SigningKey`` opens a pyHanko signer per use."""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterator
from pathlib import Path

from asn1crypto import cms, x509
from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash  # type: ignore[attr-defined]
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ._cms import CmsTemplate
from .errors import InvalidKeyFile, WrongPassphrase

__all__ = ["Pkcs12Key", "SigningKey", "load_pkcs12"]


class SigningKey(abc.ABC):
    """A signing key with its certificate; ``open()`` yields a pyHanko signer for one use."""

    @property
    @abc.abstractmethod
    def certificate(self) -> x509.Certificate:
        """The signer's certificate."""

    @property
    @abc.abstractmethod
    def chain(self) -> tuple[x509.Certificate, ...]:
        """CA certificates that came with the key (may be empty)."""

    @abc.abstractmethod
    def open(self) -> contextlib.AbstractContextManager[signers.Signer]:
        """Make the key usable (login, unlock) for one request or batch and yield a signer."""

    @property
    def subject(self) -> str:
        """Human-readable subject of the certificate."""
        return str(self.certificate.subject.human_friendly)


class _LoadedKeySigner(signers.SimpleSigner):
    """``SimpleSigner`` that keeps the parsed private key instead of re-parsing it per signature."""

    def __init__(
        self,
        key: RSAPrivateKey | EllipticCurvePrivateKey,
        key_info: asn1_keys.PrivateKeyInfo,
        cert: x509.Certificate,
        chain: tuple[x509.Certificate, ...],
    ) -> None:
        super().__init__(
            signing_cert=cert,
            signing_key=key_info,
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [cert, *chain]
            ),
        )
        self._loaded_key = key
        self._templates: dict[str, CmsTemplate] = {}

    def _template(self, digest_algorithm: str) -> CmsTemplate:
        template = self._templates.get(digest_algorithm)
        if template is None:
            template = CmsTemplate.build(
                self.signing_cert,
                [c for c in self.cert_registry if self.embed_roots or c.self_signed == "no"],
                digest_algorithm,
                self.get_signature_mechanism_for_digest(digest_algorithm),
            )
            self._templates[digest_algorithm] = template
        return template

    async def async_sign(
        self,
        data_digest: bytes,
        digest_algorithm: str,
        dry_run: bool = False,
        use_pades: bool = False,
        timestamper: object = None,
        signed_attr_settings: object = None,
        is_pdf_sig: bool = True,
        encap_content_info: object = None,
    ) -> cms.ContentInfo:
        """Sign PAdES from the key's ``CmsTemplate``; anything else as pyHanko does it.

        The fast path covers what Pintu signs: a detached PAdES signature (``use_pades``) over
        PDF data, without CAdES extras, attribute certificates or custom attribute providers.
        """
        settings_extra = getattr(signed_attr_settings, "cades_signed_attrs", None)
        digest_algorithm = digest_algorithm.lower()
        if (
            dry_run
            or not use_pades
            or not is_pdf_sig
            or encap_content_info is not None
            or settings_extra is not None
            or self.signed_attr_prov_spec is not None
            or self.unsigned_attr_prov_spec is not None
            or any(True for _ in self.attribute_certs)
        ):
            result: cms.ContentInfo = await super().async_sign(
                data_digest,
                digest_algorithm,
                dry_run=dry_run,
                use_pades=use_pades,
                timestamper=timestamper,
                signed_attr_settings=signed_attr_settings,  # type: ignore[arg-type]
                is_pdf_sig=is_pdf_sig,
                encap_content_info=encap_content_info,
            )
            return result
        self._check_digest_algorithm(digest_algorithm)
        template = self._template(digest_algorithm)
        signed_attrs = template.signed_attributes(data_digest)
        signature = await self.async_sign_raw(signed_attrs, digest_algorithm)
        unsigned = await self.unsigned_attrs(
            digest_algorithm,
            signature,
            signed_attrs=cms.CMSAttributes.load(signed_attrs),
            timestamper=timestamper,
        )
        return template.assemble(signed_attrs, signature, unsigned)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign with the key loaded once (PKCS#1 v1.5 or ECDSA; others as the parent does)."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        key = self._loaded_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


class Pkcs12Key(SigningKey):
    """A key from a PKCS#12 file, decrypted once and kept in memory for the request or batch."""

    def __init__(
        self,
        key: RSAPrivateKey | EllipticCurvePrivateKey,
        cert: x509.Certificate,
        chain: tuple[x509.Certificate, ...],
    ) -> None:
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._cert = cert
        self._chain = chain
        self._signer = _LoadedKeySigner(key, asn1_keys.PrivateKeyInfo.load(der), cert, chain)

    @property
    def certificate(self) -> x509.Certificate:
        """The signer's certificate."""
        return self._cert

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """CA certificates bundled in the PKCS#12 file."""
        return self._chain

    @contextlib.contextmanager
    def open(self) -> Iterator[signers.Signer]:
        """Yield the in-memory signer (nothing to unlock: the passphrase was used at load)."""
        yield self._signer


def load_pkcs12(data_or_path: bytes | Path | str, passphrase: str) -> Pkcs12Key:
    """Decrypt a PKCS#12 key store; a wrong passphrase raises ``WrongPassphrase``."""
    data = data_or_path if isinstance(data_or_path, bytes) else Path(data_or_path).read_bytes()
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase.encode())
    except ValueError as exc:
        if _is_pkcs12(data):
            raise WrongPassphrase(
                "PKCS#12 passphrase rejected",
                detail_id="Passphrase salah. Periksa kembali dan coba lagi.",
            ) from exc
        raise InvalidKeyFile("not a PKCS#12 file") from exc
    if cert is None or not isinstance(key, RSAPrivateKey | EllipticCurvePrivateKey):
        raise InvalidKeyFile("PKCS#12 file lacks an RSA/EC key or its certificate")
    as_asn1 = [
        x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in [cert, *extra]
    ]
    return Pkcs12Key(key, as_asn1[0], tuple(as_asn1[1:]))


def _is_pkcs12(data: bytes) -> bool:
    try:
        pfx = asn1_pkcs12.Pfx.load(data)
        pfx["auth_safe"]["content_type"].native  # noqa: B018 - forces parsing
    except (ValueError, TypeError, KeyError):
        return False
    return True
