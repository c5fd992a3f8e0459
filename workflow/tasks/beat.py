"""The periodic jobs Celery beat schedules (beat itself opens neither the database nor S3)."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab

FIXITY_AUDIT = "pintu.fixity_audit"
ARCHIVE_SWEEP = "pintu.archive_sweep"
LTV_UPKEEP = "pintu.ltv_upkeep"

BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "fixity-audit-daily": {"task": FIXITY_AUDIT, "schedule": crontab(hour=2, minute=15)},
    "archive-sweep": {"task": ARCHIVE_SWEEP, "schedule": 600.0},
    "ltv-upkeep-daily": {"task": LTV_UPKEEP, "schedule": crontab(hour=3, minute=30)},
}
"""Beat's schedule: the daily fixity audit, the archive sweep, the daily LTV upkeep."""
