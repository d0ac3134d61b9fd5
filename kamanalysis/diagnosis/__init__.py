"""Diagnosis: the tools composed for one BU and quarter; imports base, core, data and tools."""

from . import overview, summary
from ._common import assessed
from .competitive import (
    CompetitivePosition,
    QuarterlyReview,
    benchmark,
    competitive_position,
    competitive_strength,
    quarterly_review,
    value_chain,
)
from .external import ExternalEnvironment, external_environment, five_forces, pest, trajectory
from .management import (
    AccountManagement,
    AccountPlan,
    account_health,
    account_indifference,
    account_management,
    account_plan,
    check_management,
)
from .portfolio import (
    key_account_capacity,
    key_account_concentration,
    key_account_criteria,
    key_account_migration,
    key_account_portfolio,
    key_account_positions,
)
from .position import (
    POSITION_TABLES,
    position_history,
    positioned,
    save_positions,
    strategic_position,
)

__all__ = [
    "POSITION_TABLES",
    "AccountManagement",
    "AccountPlan",
    "CompetitivePosition",
    "ExternalEnvironment",
    "QuarterlyReview",
    "account_health",
    "account_indifference",
    "account_management",
    "account_plan",
    "assessed",
    "benchmark",
    "check_management",
    "competitive_position",
    "competitive_strength",
    "external_environment",
    "five_forces",
    "key_account_capacity",
    "key_account_concentration",
    "key_account_criteria",
    "key_account_migration",
    "key_account_portfolio",
    "key_account_positions",
    "overview",
    "pest",
    "position_history",
    "positioned",
    "quarterly_review",
    "save_positions",
    "strategic_position",
    "summary",
    "trajectory",
    "value_chain",
]
