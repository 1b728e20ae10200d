"""The assistance app's models: who helps (helpers), how (plans) and who is stationed (teams)."""

from .helpers import HELPED, AssistingUnit, Cadre, Pairing, UnitLevel, Visit, VisitItem, VisitPhoto
from .plans import AssistancePlan, CoverageKind, CoverageRule, Measure, MeasureCategory, MeasureType
from .teams import Attendance, LeaderLink, SpotCheck, TeamMember, TeamRole, WorkTeam

__all__ = [
    "HELPED",
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
