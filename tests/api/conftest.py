"""A real API server process on embedded defaults (what `make run` starts), on a free port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.fixtures.env import embedded_env


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    data_dir: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("pintu-api")
    port = _free_port()
    log = data_dir / "server.log"
    env = embedded_env(
        data_dir,
        PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
        MAX_UPLOAD_BYTES=str(2 * 1024 * 1024),
    )
    bin_dir = Path(sys.executable).parent
    upgraded = subprocess.run(  # what `make run` does before it starts the API
        [str(bin_dir / "pintu"), "db", "upgrade"], env=env, capture_output=True, check=False
    )
    assert upgraded.returncode == 0, upgraded.stderr
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(bin_dir / "uvicorn"), "--factory", "api.app:create_app"]
            + ["--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the API did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    yield LiveServer(base, data_dir, log)
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def login(base: str, username: str, password: str = "pintu-demo") -> httpx.Client:
    """Return a client carrying a bearer token for ``username``."""
    answer = httpx.post(
        f"{base}/auth/token", data={"username": username, "password": password}, timeout=10
    )
    answer.raise_for_status()
    token = answer.json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120)
