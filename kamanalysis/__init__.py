"""kamanalysis: a strategic diagnosis workbook for key-account (大客户) marketing.

Examples
--------
>>> import kamanalysis as kam
>>> eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
>>> len(eng.accounts) >= 150
True
"""

from . import diagnosis, report  # noqa: F401 (kamanalysis.report.run_reports)
from .base import i18n, paths
from .base.errors import (
    InputValidationError,
    InvalidWeightsError,
    KamAnalysisError,
    Problem,
)
from .core.scoring import (
    band,
    weighted_score,
)
from .data.engagement import (
    Engagement,
    load_engagement,
)
from .diagnosis import summary
from .diagnosis.overview import (
    bu_summary,
    plot_revenue_by_quarter,
    revenue_by_quarter,
    top_accounts,
)
from .report import display, findings, sections
from .tools import accounts, benchmark, review, value_chain
from .tools.accounts import (
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
from .tools.bcg import bcg_cell, plot_bcg_matrix, score_bcg
from .tools.benchmark import (
    boards,
    compare_factors,
    competitive_strength,
    plot_benchmark_radar,
    score_benchmark,
    strength_over_time,
)
from .tools.evolution import (
    classify_trajectory,
)
from .tools.forces import (
    plot_five_forces,
    score_five_forces,
)
from .tools.pest import (
    plot_pest,
    score_pest,
)
from .tools.position import (
    ge_cell,
    ie_cell,
    ife_efe,
    plot_ge_matrix,
    plot_ie_matrix,
)
from .tools.review import (
    evaluation_score,
    explain_change,
    feedback_summary,
    lowest_comments,
    time_comparison,
)
from .tools.swot import plot_swot, swot_matrix, tows_matrix
from .tools.value_chain import (
    plot_value_chain,
    score_value_chain,
    value_chain_summary,
)

__all__ = [
    "Engagement",
    "InputValidationError",
    "InvalidWeightsError",
    "KamAnalysisError",
    "Problem",
    "accounts",
    "band",
    "benchmark",
    "boards",
    "bu_summary",
    "buying_centre_coverage",
    "churn_signals",
    "classify_relationship_stage",
    "classify_trajectory",
    "compare_factors",
    "competitive_strength",
    "diagnosis",
    "display",
    "evaluation_score",
    "explain_change",
    "feedback_summary",
    "findings",
    "ge_cell",
    "i18n",
    "ie_cell",
    "ife_efe",
    "load_engagement",
    "lowest_comments",
    "migration",
    "paths",
    "plot_benchmark_radar",
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
    "plot_value_chain",
    "portfolio_concentration",
    "rating_disagreements",
    "revenue_by_quarter",
    "review",
    "score_benchmark",
    "score_five_forces",
    "score_key_account_criteria",
    "score_pest",
    "score_selection_matrix",
    "score_supplier_positioning",
    "score_value_chain",
    "sections",
    "strength_over_time",
    "summary",
    "time_comparison",
    "top_accounts",
    "value_chain",
    "value_chain_summary",
    "weight_robustness",
    "weighted_score",
]

# The account manager and the key-account organisation (issue 10).
from .report import plans
from .tools import managers
from .tools.managers import (
    account_fit,
    check_managers,
    churn_causes,
    competency_gaps,
    conflict_mode,
    contact_plan,
    indifference,
    organisation_form,
    plot_manager_fit,
    score_manager_fit,
    spin_call_plan,
    stage_profiles,
    workload,
)

__all__ += [
    "account_fit",
    "check_managers",
    "churn_causes",
    "competency_gaps",
    "conflict_mode",
    "contact_plan",
    "indifference",
    "managers",
    "organisation_form",
    "plans",
    "plot_manager_fit",
    "score_manager_fit",
    "spin_call_plan",
    "stage_profiles",
    "workload",
]

# issue 26: SWOT and TOWS from the IFE/EFE factors, the BCG growth-share matrix
__all__ += ["bcg_cell", "plot_bcg_matrix", "plot_swot", "score_bcg", "swot_matrix", "tows_matrix"]
# Did the diagnosis predict? The backtest of the account scores (issue 24).
from . import backtest  # noqa: E402

__all__ += ["backtest"]

#: Where each module of the flat package of earlier releases lives now (README, "Layout").
#: ``import kamanalysis.accounts`` and ``from kamanalysis.schema import TABLES`` keep
#: working: each old name is the same module object as the new one, not a copy.
MOVED_MODULES = {
    **dict.fromkeys(["errors", "_validation", "_numeric", "quarters", "paths", "schema"], "base"),
    "i18n": "base",
    **dict.fromkeys(["scoring", "charts", "fonts"], "core"),
    **dict.fromkeys(["engagement", "reading", "settings", "checks", "workbook", "sample"], "data"),
    **dict.fromkeys(["pest", "forces", "evolution", "position", "benchmark"], "tools"),
    **dict.fromkeys(["value_chain", "review", "accounts", "managers"], "tools"),
    **dict.fromkeys(["overview", "summary"], "diagnosis"),
    **dict.fromkeys(["display", "findings", "sections", "plans"], "report"),
}


def _alias_moved_modules() -> None:
    import importlib
    import sys

    for old, layer in MOVED_MODULES.items():
        new = f"{__name__}.{layer}.{old}"
        module = importlib.import_module(new)
        globals().setdefault(old, module)
        # the module and, for a method split into files (accounts, managers), each file:
        # ``kamanalysis.accounts.stages`` is then ``kamanalysis.tools.accounts.stages``
        # itself, not a second copy loaded under the old name
        for name in [n for n in sys.modules if n == new or n.startswith(new + ".")]:
            sys.modules.setdefault(f"{__name__}.{old}{name[len(new) :]}", sys.modules[name])


_alias_moved_modules()
