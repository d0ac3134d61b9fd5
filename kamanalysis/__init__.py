"""kamanalysis: a strategic diagnosis workbook for key-account (大客户) marketing.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> len(eng.accounts) >= 150
True
"""

from . import diagnosis, display, paths
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
    "band",
    "bu_summary",
    "classify_trajectory",
    "diagnosis",
    "display",
    "ge_cell",
    "ie_cell",
    "ife_efe",
    "load_engagement",
    "paths",
    "plot_five_forces",
    "plot_ge_matrix",
    "plot_ie_matrix",
    "plot_pest",
    "plot_revenue_by_quarter",
    "revenue_by_quarter",
    "score_five_forces",
    "score_pest",
    "top_accounts",
    "weighted_score",
]
