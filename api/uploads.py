"""Reading an uploaded file no further than the configured limit."""

from __future__ import annotations

from fastapi import UploadFile

from workflow.errors import UploadTooLarge


async def read_limited(file: UploadFile, limit: int) -> bytes:
    """Return the upload's bytes, refusing it as soon as it is over ``limit``."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(
            f"upload over {limit} bytes",
            detail_id=f"Berkas melebihi batas {limit // 1024} KiB.",
        )
    return data
