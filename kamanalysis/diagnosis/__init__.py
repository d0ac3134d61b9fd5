"""Diagnosis: the tools composed for one BU and quarter; imports base, core, data and tools."""

from . import history, overview, summary
from ._common import assessed
from .actions import account_actions, action_counts, action_follow_up
from .competitive import (
    CompetitivePosition,
    QuarterlyReview,
    benchmark,
    benchmark_history,
    competitive_position,
    competitive_strength,
    feedback_trend,
    quarterly_review,
    value_chain,
)
from .external import ExternalEnvironment, external_environment, five_forces, pest, trajectory
from .group import GroupView, group_view
from .history import headline_history, headline_table, plot_headline_history
from .management import (
    AccountManagement,
    AccountPlan,
    account_health,
    account_indifference,
    account_management,
    account_plan,
    check_management,
    rated_managers,
)
from .portfolio import (
    key_account_capacity,
    key_account_concentration,
    key_account_criteria,
    key_account_migration,
    key_account_portfolio,
    key_account_positions,
    migration_unavailable,
)
from .position import (
    POSITION_TABLES,
    position_history,
    positioned,
    save_positions,
    strategic_position,
)
from .results import manager_development, manager_results
from .strategy_views import bcg_positions, portfolio_views, swot, tows, tows_and_ie

__all__ = [
    "POSITION_TABLES",
    "AccountManagement",
    "AccountPlan",
    "CompetitivePosition",
    "ExternalEnvironment",
    "GroupView",
    "QuarterlyReview",
    "account_actions",
    "account_health",
    "account_indifference",
    "account_management",
    "account_plan",
    "action_counts",
    "action_follow_up",
    "assessed",
    "bcg_positions",
    "benchmark",
    "benchmark_history",
    "check_management",
    "competitive_position",
    "competitive_strength",
    "external_environment",
    "feedback_trend",
    "five_forces",
    "group_view",
    "headline_history",
    "headline_table",
    "history",
    "key_account_capacity",
    "key_account_concentration",
    "key_account_criteria",
    "key_account_migration",
    "key_account_portfolio",
    "key_account_positions",
    "manager_development",
    "manager_results",
    "migration_unavailable",
    "overview",
    "pest",
    "plot_headline_history",
    "portfolio_views",
    "position_history",
    "positioned",
    "quarterly_review",
    "rated_managers",
    "save_positions",
    "strategic_position",
    "summary",
    "swot",
    "tows",
    "tows_and_ie",
    "trajectory",
    "value_chain",
]
