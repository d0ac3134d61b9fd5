"""kamanalysis: a strategic diagnosis workbook for key-account (大客户) marketing.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> len(eng.accounts) >= 150
True
"""

from . import accounts, diagnosis, display, paths
from .accounts import (
    buying_centre_coverage,
    churn_signals,
    classify_relationship_stage,
    migration,
    plot_buying_centre,
    plot_migration,
    plot_robustness,
    plot_selection_matrix,
    plot_stage_distribution,
    plot_supplier_positioning,
    portfolio_concentration,
    rating_disagreements,
    score_key_account_criteria,
    score_selection_matrix,
    score_supplier_positioning,
    weight_robustness,
)
from .engagement import Engagement, load_engagement
from .errors import InputValidationError, InvalidWeightsError, KamAnalysisError, Problem
from .evolution import classify_trajectory
from .forces import plot_five_forces, score_five_forces
from .overview import bu_summary, plot_revenue_by_quarter, revenue_by_quarter, top_accounts
from .pest import plot_pest, score_pest
from .position import ge_cell, ie_cell, ife_efe, plot_ge_matrix, plot_ie_matrix
from .scoring import band, weighted_score

__all__ = [
    "Engagement",
    "InputValidationError",
    "InvalidWeightsError",
    "KamAnalysisError",
    "Problem",
    "accounts",
    "band",
    "bu_summary",
    "buying_centre_coverage",
    "churn_signals",
    "classify_relationship_stage",
    "classify_trajectory",
    "diagnosis",
    "display",
    "ge_cell",
    "ie_cell",
    "ife_efe",
    "load_engagement",
    "migration",
    "paths",
    "plot_buying_centre",
    "plot_five_forces",
    "plot_ge_matrix",
    "plot_ie_matrix",
    "plot_migration",
    "plot_pest",
    "plot_revenue_by_quarter",
    "plot_robustness",
    "plot_selection_matrix",
    "plot_stage_distribution",
    "plot_supplier_positioning",
    "portfolio_concentration",
    "rating_disagreements",
    "revenue_by_quarter",
    "score_five_forces",
    "score_key_account_criteria",
    "score_pest",
    "score_selection_matrix",
    "score_supplier_positioning",
    "top_accounts",
    "weight_robustness",
    "weighted_score",
]
