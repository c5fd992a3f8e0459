"""Run every rule over one application."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from validator._context import Context
from validator._rules_documents import (
    check_legibility,
    check_required_documents,
    check_signatures,
    check_validity,
)
from validator._rules_identity import check_names, check_nib_rule, check_nik_rule, check_npwp_rule
from validator._rules_kbli import check_kbli, check_risk
from validator._rules_location import check_location
from validator.ruleset import RuleSet
from validator.types import Declared, DocumentEvidence, Report

RULES: tuple[Callable[[Context], None], ...] = (
    check_required_documents,
    check_nib_rule,
    check_kbli,
    check_risk,
    check_nik_rule,
    check_npwp_rule,
    check_names,
    check_location,
    check_validity,
    check_signatures,
    check_legibility,
)


def check(
    declared: Declared,
    documents: Sequence[DocumentEvidence],
    rules: RuleSet,
    *,
    today: date,
) -> Report:
    """Run all rules of the rule set in force on ``today``; the verdict follows the findings."""
    ctx = Context(declared, documents, rules, today)
    for rule in RULES:
        rule(ctx)
    return Report.from_findings(ctx.findings, rules.versions(today))
