"""The Tim Teknis's checks (SOP step 3) as data-driven rules.

``check(declared, documents, rules, today=...)`` runs every rule and returns a ``Report`` of
findings with a verdict; the rule tables (KBLI list, authority, checklists, region, validity) are
versioned data loaded by ``load_rules`` and replaced one at a time with ``RuleSet.with_*``.
"""

from validator.authority import KbliAnswer, kbli_authority
from validator.bap import (
    DEFAULT_DASAR_HUKUM,
    BapContent,
    BusinessLocation,
    ChecklistRow,
    PertimbanganTeknisContent,
    TeamMember,
    build_bap,
    build_pertimbangan_teknis,
)
from validator.check import check
from validator.errors import ApplicationDataError, RuleTableError
from validator.ruleset import RuleParameters, RuleSet, load_rules
from validator.tables import (
    AuthorityTable,
    ChecklistTable,
    KbliTable,
    RegionTable,
    ValidityTable,
    parse_authority_table,
    parse_checklists,
    parse_kbli_csv,
    parse_region_table,
    parse_validity_table,
)
from validator.types import (
    Declared,
    DocumentEvidence,
    Evidence,
    Finding,
    KbliClaim,
    Location,
    Person,
    Report,
    SignatureEvidence,
    verdict_for,
)

__all__ = [
    "DEFAULT_DASAR_HUKUM",
    "ApplicationDataError",
    "AuthorityTable",
    "BapContent",
    "BusinessLocation",
    "ChecklistRow",
    "ChecklistTable",
    "Declared",
    "DocumentEvidence",
    "Evidence",
    "Finding",
    "KbliAnswer",
    "KbliClaim",
    "KbliTable",
    "Location",
    "PertimbanganTeknisContent",
    "Person",
    "RegionTable",
    "Report",
    "RuleParameters",
    "RuleSet",
    "RuleTableError",
    "SignatureEvidence",
    "TeamMember",
    "ValidityTable",
    "build_bap",
    "build_pertimbangan_teknis",
    "check",
    "kbli_authority",
    "load_rules",
    "parse_authority_table",
    "parse_checklists",
    "parse_kbli_csv",
    "parse_region_table",
    "parse_validity_table",
    "verdict_for",
]
