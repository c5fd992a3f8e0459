"""A loopback TCP proxy in front of the S3 server: records what goes on the wire, drops answers.

It is the real seam for "what did the client send" and "the answer was lost in transit" (the
request reached the server, the connection broke before the client read the response).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field


@dataclass
class _Connection:
    swallow: bool = False


@dataclass
class TcpProxy:
    upstream_host: str
    upstream_port: int
    drop_response_to: bytes | None = None
    """Request line start (e.g. b"PUT ") whose response is dropped once, closing the connection."""
    put_budget: int | None = None
    """PUT requests still let through before an outage starts (None: no limit)."""
    outage: bool = False
    """While set, every connection is cut as soon as the client sends anything."""
    sent: list[bytes] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _listener: socket.socket = field(default_factory=socket.socket)
    _open: list[socket.socket] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        host, port = self._listener.getsockname()
        return f"{host}:{port}"

    def wire_text(self) -> str:
        """Everything clients sent so far, as text (headers are ASCII)."""
        with self._lock:
            return b"".join(self.sent).decode("latin-1")

    def heal(self) -> None:
        """End the outage and lift the PUT budget."""
        with self._lock:
            self.outage = False
            self.put_budget = None

    def close(self) -> None:
        self._listener.close()
        for sock in self._open:
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection((self.upstream_host, self.upstream_port))
            self._open += [client, server]
            state = _Connection()
            threading.Thread(
                target=self._upstream, args=(client, server, state), daemon=True
            ).start()
            threading.Thread(
                target=self._downstream, args=(server, client, state), daemon=True
            ).start()

    def _upstream(self, client: socket.socket, server: socket.socket, state: _Connection) -> None:
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                data = b""
            if not data:
                _close(server)
                return
            with self._lock:
                if data.startswith(b"PUT ") and self.put_budget is not None:
                    if self.put_budget <= 0:
                        self.outage = True
                    self.put_budget -= 1
                if self.outage:
                    _close(client)
                    _close(server)
                    return
                self.sent.append(data)
                if self.drop_response_to and data.startswith(self.drop_response_to):
                    self.drop_response_to = None
                    state.swallow = True
            try:
                server.sendall(data)
            except OSError:
                _close(client)
                return

    def _downstream(self, server: socket.socket, client: socket.socket, state: _Connection) -> None:
        while True:
            try:
                data = server.recv(65536)
            except OSError:
                data = b""
            if not data or state.swallow:
                _close(client)
                _close(server)
                return
            try:
                client.sendall(data)
            except OSError:
                _close(server)
                return


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
