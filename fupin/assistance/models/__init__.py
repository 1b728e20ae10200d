"""The assistance app's models: who helps (units, cadres, pairings, visits), how (plans), who is stationed."""

from .pairings import AssistingUnit, Cadre, Pairing, UnitLevel, Visit, VisitItem, VisitPhoto
from .plans import AssistancePlan, CoverageKind, CoverageRule, Measure, MeasureCategory, MeasureType
from .teams import Attendance, LeaderLink, SpotCheck, TeamMember, TeamRole, WorkTeam

__all__ = [
    "AssistancePlan",
    "AssistingUnit",
    "Attendance",
    "Cadre",
    "CoverageKind",
    "CoverageRule",
    "LeaderLink",
    "Measure",
    "MeasureCategory",
    "MeasureType",
    "Pairing",
    "SpotCheck",
    "TeamMember",
    "TeamRole",
    "UnitLevel",
    "Visit",
    "VisitItem",
    "VisitPhoto",
    "WorkTeam",
]
