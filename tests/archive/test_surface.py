"""The package's public surface and error codes stay small and stable."""

from __future__ import annotations

from pathlib import Path

import pytest

import archive
from archive import errors
from common.errors import CallerError, OperationalError, PintuError


def test_all_names_exist_and_nothing_private_leaks() -> None:
    assert sorted(archive.__all__) == sorted(set(archive.__all__))
    for name in archive.__all__:
        assert hasattr(archive, name), name
        assert not name.startswith("_")


def test_errors_have_stable_unique_codes_on_the_right_root() -> None:
    classes = [
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, PintuError)
    ]
    own = [c for c in classes if c.__module__ == errors.__name__]
    assert len({c.code for c in own}) == len(own)
    assert (
        issubclass(errors.ObjectNotFound, CallerError) and errors.ObjectNotFound.http_status == 404
    )
    assert issubclass(errors.InvalidKey, CallerError)
    for cls in (
        errors.ArchiveConflict,
        errors.RetentionLocked,
        errors.StorageUnavailable,
        errors.ObjectCorrupted,
    ):
        assert issubclass(cls, OperationalError)


def test_storage_config_needs_one_backend_and_hides_its_secret(tmp_path: Path) -> None:
    with pytest.raises(errors.StorageMisconfigured):
        archive.StorageConfig()
    with pytest.raises(errors.StorageMisconfigured):
        archive.StorageConfig(folder=tmp_path, s3_endpoint="127.0.0.1:9000")
    with pytest.raises(errors.StorageMisconfigured):
        archive.StorageConfig(s3_endpoint="127.0.0.1:9000", s3_access_key="k")
    config = archive.StorageConfig(
        s3_endpoint="https://s3.example.id:9000", s3_access_key="k", s3_secret_key="sekret"
    )
    assert "sekret" not in repr(config)
    assert config.s3_host_and_secure() == ("s3.example.id:9000", True)
    with pytest.raises(errors.StorageMisconfigured):
        archive.RetentionPolicy(days=0)
