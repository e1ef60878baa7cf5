"""Plan cascade vocabulary shared by models and engines."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["GovernmentLevel", "PlanStage", "LineLevel", "Direction"]


class GovernmentLevel(StrEnum):
    PROVINCE = "province"
    REGENCY = "regency"
    CITY = "city"


class PlanStage(StrEnum):
    """Stages of the RKPD and Renja (Permendagri 86/2017)."""

    INITIAL_DRAFT = "rancangan_awal"
    DRAFT = "rancangan"
    FINAL_DRAFT = "rancangan_akhir"
    ENACTED = "penetapan"
    AMENDMENT = "perubahan"


PLAN_STAGE_LABELS: dict[PlanStage, str] = {
    PlanStage.INITIAL_DRAFT: "Rancangan Awal",
    PlanStage.DRAFT: "Rancangan",
    PlanStage.FINAL_DRAFT: "Rancangan Akhir",
    PlanStage.ENACTED: "Penetapan",
    PlanStage.AMENDMENT: "Perubahan",
}


class LineLevel(StrEnum):
    PROGRAM = "program"
    ACTIVITY = "activity"
    SUB_ACTIVITY = "sub_activity"


class Direction(StrEnum):
    """Which way an indicator improves."""

    HIGHER_IS_BETTER = "up"
    LOWER_IS_BETTER = "down"
    WITHIN_BAND = "band"
    UNKNOWN = "none"
