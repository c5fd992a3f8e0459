"""PKCS#11 key backend (HSM or token; tested with SoftHSM2).

PKCS#11 login state belongs to the process and the token: every session of the process on that
token shares it. So each use takes the token's lock, opens a session and logs in with the PIN of
this request or batch, signs, then logs out and closes — two requests never interleave their
logins. Opening and login run under a deadline (token lookups have hung for minutes); a token that
misses it is marked unusable and refused until ``reset_token`` is called by an admin.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from asn1crypto import x509
from pkcs11 import exceptions as p11_errors
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11Signer

from ._keys import SigningKey
from .errors import TokenUnavailable, WrongPassphrase

__all__ = ["Pkcs11Config", "Pkcs11Key", "reset_token", "unusable_tokens"]

logger = logging.getLogger(__name__)

_TOKEN_LOCKS: dict[str, threading.Lock] = {}
_MODULE_LOCKS: dict[str, threading.Lock] = {}
_UNUSABLE: dict[str, str] = {}
_ATTEMPTS: dict[str, list[threading.Event]] = {}
_REGISTRY_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Pkcs11Config:
    """Where the key lives on a PKCS#11 token."""

    module_path: Path
    """The PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so."""
    token_label: str
    key_label: str
    cert_label: str | None = None
    """Label of the certificate object (defaults to ``key_label``)."""
    open_timeout: float = 10.0
    """Seconds allowed to find the token, open a session and log in."""


def _token_lock(label: str) -> threading.Lock:
    with _REGISTRY_LOCK:
        return _TOKEN_LOCKS.setdefault(label, threading.Lock())


def _module_lock(path: Path) -> threading.Lock:
    with _REGISTRY_LOCK:
        return _MODULE_LOCKS.setdefault(str(path), threading.Lock())


def unusable_tokens() -> dict[str, str]:
    """Tokens marked unusable (label -> reason), to show to an admin."""
    with _REGISTRY_LOCK:
        return dict(_UNUSABLE)


def reset_token(label: str, *, timeout: float = 30.0) -> None:
    """Allow an unusable token to be tried again (admin action).

    Waits up to ``timeout`` seconds for attempts that missed their deadline to finish (they log
    out when they do); raises ``TokenUnavailable`` if one is still hanging.
    """
    with _REGISTRY_LOCK:
        attempts = list(_ATTEMPTS.get(label, ()))
    deadline = time.monotonic() + timeout
    for finished in attempts:
        if not finished.wait(max(0.0, deadline - time.monotonic())):
            raise TokenUnavailable(
                f"token {label} still has a hanging open/login; not reset",
                detail_id="Token masih belum merespons; coba atur ulang nanti.",
            )
    with _REGISTRY_LOCK:
        _ATTEMPTS[label] = [e for e in _ATTEMPTS.get(label, []) if not e.is_set()]
        _UNUSABLE.pop(label, None)


def _mark_unusable(label: str, reason: str) -> None:
    with _REGISTRY_LOCK:
        _UNUSABLE[label] = reason
    logger.error("PKCS#11 token %s marked unusable: %s", label, reason)


class Pkcs11Key(SigningKey):
    """A key on a PKCS#11 token, unlocked with ``pin`` for the duration of each ``open()``."""

    def __init__(self, config: Pkcs11Config, pin: str) -> None:
        self._config = config
        self._pin = pin
        self._cert: x509.Certificate | None = None
        self._chain: tuple[x509.Certificate, ...] = ()

    @property
    def config(self) -> Pkcs11Config:
        """Where the key lives."""
        return self._config

    @property
    def certificate(self) -> x509.Certificate:
        """The signer's certificate, read from the token at the first use."""
        if self._cert is None:
            with self.open():
                pass
        assert self._cert is not None
        return self._cert

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """CA certificates found on the token (may be empty)."""
        return self._chain

    def _open_session(self) -> pkcs11.Session:
        """Find the token, open a session and log in, within the configured deadline."""
        label = self._config.token_label
        outcome: dict[str, object] = {}
        handover = threading.Lock()

        def attempt() -> None:
            try:
                # pkcs11.lib loads and initialises each module once per process; slot and
                # token lookups are serialised per module (SoftHSM rescans its store on each)
                with _module_lock(self._config.module_path):
                    lib = pkcs11.lib(str(self._config.module_path))
                    session = lib.get_token(token_label=label).open(user_pin=self._pin)
            except Exception as exc:  # noqa: BLE001 - handed to the waiting thread as is
                with handover:
                    outcome["error"] = exc
                return
            with handover:
                if not outcome.get("abandoned"):
                    outcome["session"] = session
                    return
            # The waiter gave up and marked the token unusable, so nobody else uses it now:
            # log out again so no login lingers on the token.
            try:
                session.close()
            except p11_errors.PKCS11Error:
                logger.warning("late PKCS#11 session on %s could not be closed", label)

        def run() -> None:
            try:
                attempt()
            finally:
                done.set()

        done = threading.Event()
        with _REGISTRY_LOCK:
            _ATTEMPTS.setdefault(label, []).append(done)
        worker = threading.Thread(target=run, name=f"pkcs11-open-{label}", daemon=True)
        worker.start()
        worker.join(self._config.open_timeout)
        with handover:
            timed_out = "session" not in outcome and "error" not in outcome
            if timed_out:
                outcome["abandoned"] = True
        if timed_out:
            _mark_unusable(label, f"open/login exceeded {self._config.open_timeout:g} s")
            raise TokenUnavailable(
                f"token {label} did not open within {self._config.open_timeout} s",
                detail_id="Token tanda tangan tidak merespons dan ditandai tidak dapat dipakai.",
            )
        with _REGISTRY_LOCK:
            _ATTEMPTS[label] = [e for e in _ATTEMPTS.get(label, []) if e is not done]
        error = outcome.get("error")
        if isinstance(error, p11_errors.PinIncorrect | p11_errors.PinInvalid):
            raise WrongPassphrase(
                "PKCS#11 PIN rejected", detail_id="PIN salah. Periksa kembali dan coba lagi."
            ) from error
        if isinstance(error, p11_errors.NoSuchToken):
            raise TokenUnavailable(
                f"token {label} not found", detail_id="Token tanda tangan tidak ditemukan."
            ) from error
        if isinstance(error, BaseException):
            raise TokenUnavailable(
                f"token {label} could not be opened: {type(error).__name__}",
                detail_id="Token tanda tangan tidak dapat dibuka.",
            ) from error
        session = outcome["session"]
        assert isinstance(session, pkcs11.Session)
        return session

    @contextlib.contextmanager
    def open(self) -> Iterator[signers.Signer]:
        """Lock the token, log in, yield a signer, then log out and close the session."""
        label = self._config.token_label
        reason = unusable_tokens().get(label)
        if reason is not None:
            raise TokenUnavailable(
                f"token {label} is marked unusable ({reason}); an admin must reset it",
                detail_id="Token tanda tangan ditandai tidak dapat dipakai; hubungi admin.",
            )
        lock = _token_lock(label)
        if not lock.acquire(timeout=self._config.open_timeout * 3):
            raise TokenUnavailable(f"token {label} is busy", detail_id="Token sedang dipakai.")
        try:
            session = self._open_session()
            try:
                try:
                    signer = PKCS11Signer(
                        session,
                        cert_label=self._config.cert_label or self._config.key_label,
                        key_label=self._config.key_label,
                    )
                    self._cert = signer.signing_cert
                except (p11_errors.PKCS11Error, SigningError) as exc:
                    raise TokenUnavailable(
                        f"key or certificate not usable on token {label}: {exc}",
                        detail_id="Kunci atau sertifikat tidak ditemukan pada token.",
                    ) from exc
                try:
                    yield signer
                except p11_errors.PKCS11Error as exc:
                    raise TokenUnavailable(
                        f"token {label} failed while signing: {type(exc).__name__}",
                        detail_id="Token tanda tangan gagal saat menandatangani.",
                    ) from exc
            finally:
                try:
                    session.close()  # logs out, since the session logged in
                except p11_errors.PKCS11Error:
                    logger.warning("PKCS#11 logout/close failed on token %s", label)
        finally:
            lock.release()
