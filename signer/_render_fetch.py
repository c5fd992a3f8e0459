"""The only way WeasyPrint may load a resource: files under the template folder, or data: URIs.

WeasyPrint's default fetcher follows http(s), ftp and file:// anywhere. Ours serves the template
folder from memory (read once, symlinks resolved and kept inside the folder) and decodes data:
URIs; anything else aborts the rendering (``fail_on_errors``), so a template that asks for
``http://…`` or ``file:///etc/passwd`` fails loudly instead of being silently skipped.
"""

from __future__ import annotations

import base64
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_ASSET_BYTES = 8 * 1024 * 1024
"""Largest template asset (font, logo, ICC profile) the fetcher will serve."""


class RefusedResourceError(ValueError):
    """A URL outside what the renderer may load; carries the refused URL (truncated)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{reason}: {url[:200]}")
        self.url = url[:200]
        self.reason = reason


class TemplateFolderFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serve ``file://`` URLs inside one folder and ``data:`` URIs; refuse everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", "data"), fail_on_errors=True)
        self._root = root.resolve()
        self._cache: dict[Path, tuple[int, bytes]] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the resource at ``url`` or raise ``RefusedResourceError``."""
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        raise RefusedResourceError(url, "only template files and data: URIs may be loaded")

    def _data(self, url: str) -> URLFetcherResponse:
        header, sep, payload = url[5:].partition(",")
        if not sep:
            raise RefusedResourceError(url, "malformed data: URI")
        params = header.split(";")
        mime = params[0] or "text/plain"
        body = (
            base64.b64decode(unquote(payload), validate=False)
            if "base64" in params[1:]
            else unquote_to_bytes(payload)
        )
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedResourceError(url, "remote file URL")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            raise RefusedResourceError(url, "file outside the template folder")
        stat = path.stat()
        if stat.st_size > MAX_ASSET_BYTES:
            raise RefusedResourceError(url, "template asset too large")
        with self._lock:
            cached = self._cache.get(path)
        if cached is not None and cached[0] == stat.st_mtime_ns:
            body = cached[1]
        else:  # first use, or the office edited the asset since
            body = path.read_bytes()
            with self._lock:
                self._cache[path] = (stat.st_mtime_ns, body)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": mime})
