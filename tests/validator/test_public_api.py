"""The validator's public surface is small and importable from the package."""

from __future__ import annotations

import dataclasses

import validator


def test_all_names_exist() -> None:
    for name in validator.__all__:
        assert hasattr(validator, name), name


def test_boundary_types_are_frozen_dataclasses() -> None:
    for name in (
        "Declared",
        "DocumentEvidence",
        "SignatureEvidence",
        "Evidence",
        "Finding",
        "Report",
        "RuleSet",
        "KbliAnswer",
        "BapContent",
        "PertimbanganTeknisContent",
        "KbliTable",
    ):
        cls = getattr(validator, name)
        assert dataclasses.is_dataclass(cls), name
        assert cls.__dataclass_params__.frozen, name  # type: ignore[attr-defined]


def test_errors_are_caller_errors_with_stable_codes() -> None:
    from common.errors import CallerError

    assert issubclass(validator.RuleTableError, CallerError)
    assert validator.RuleTableError.code == "invalid_rule_table"
    assert issubclass(validator.ApplicationDataError, CallerError)
