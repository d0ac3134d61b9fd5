"""kamanalysis: a strategic diagnosis workbook for key-account (大客户) marketing.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> len(eng.accounts) >= 150
True
"""

from . import display, paths
from .engagement import Engagement, load_engagement
from .errors import InputValidationError, InvalidWeightsError, KamAnalysisError, Problem
from .overview import bu_summary, plot_revenue_by_quarter, revenue_by_quarter, top_accounts

__all__ = [
    "Engagement",
    "InputValidationError",
    "InvalidWeightsError",
    "KamAnalysisError",
    "Problem",
    "bu_summary",
    "display",
    "load_engagement",
    "paths",
    "plot_revenue_by_quarter",
    "revenue_by_quarter",
    "top_accounts",
]
