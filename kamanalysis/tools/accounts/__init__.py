"""Key-account portfolio and relationships (大客户组合与关系).

The seeds' key-account methods, as functions on DataFrames:

- :func:`score_key_account_criteria`: which accounts qualify as key accounts, from
  criteria measured in the sales ledger (``account_quarters``) and rated in a workshop
  (``account_assessments``), with the reasons in words and the places where the
  workshop and the ledger disagree (:func:`rating_disagreements`).
- :func:`score_selection_matrix`: account attractiveness x our relative strength ->
  key / develop / maintain / opportunistic; :func:`assign_tiers` gives each account that
  one tier from the criteria score and :func:`score_strength`, within the team's capacity.
- :func:`score_supplier_positioning`: the buyer's view of us (importance x relative
  spend) and the frustration zones where our view and theirs do not fit.
- :func:`classify_relationship_stage`: pre / early / mid / partnership / synergistic
  KAM from observable indicators, with drivers and conflicts.
- :func:`buying_centre_coverage`: roles covered and missing, support weighted by
  influence, the 3-5 contacts rule, the last contact with a decider.
- :func:`portfolio_concentration` and :func:`churn_signals`.
- :func:`weight_robustness`: Monte Carlo over the criteria weights.
- :func:`migration`: transitions between quadrants and stages from one quarter to another.

Each ``plot_*`` function takes a scored frame and an optional Axes and returns the Axes.

The files, one idea each:

- ``criteria.py``: the key-account criteria and the workshop's disagreements with the ledger;
- ``tiers.py``: our strength, one tier per account, the capacity of the team;
- ``matrices.py``: the selection matrix, the supplier positioning, the robustness of the
  weights, and :func:`label`;
- ``stages.py``: relationship stages and migration between quarters;
- ``health.py``: one health score per account from its signals, each once;
- ``buying_centre.py``: the buying centre, portfolio concentration and churn signals;
- ``_common.py``: the helpers those files share (the cut test, ratings, problems).

Conventions. Scores are weighted means on the rating scale (1-5 by default). A score
counts as *high* when it is at or above its cut (a value exactly on a cut is high; a
tolerance of ``1e-9`` absorbs floating-point error, so that ratings all equal to the cut
give a high score). Every point of a matrix belongs to exactly one quadrant.

Examples
--------
>>> import pandas as pd
>>> a = pd.DataFrame({"account_id": ["A", "B"], "att_margin": [4, 2], "str_price": [2, 4]})
>>> score_selection_matrix(a, attractiveness={"att_margin": 1}, strength={"str_price": 1})[
...     "quadrant"].tolist()
['develop', 'maintain']
"""

from __future__ import annotations

from ._common import TOLERANCE
from .buying_centre import (
    CHURN_RULES,
    CHURN_THRESHOLDS,
    CONTACT_RULE,
    buying_centre_coverage,
    churn_signals,
    plot_buying_centre,
    portfolio_concentration,
)
from .criteria import (
    CRITERION_RULES,
    MEASURED_CRITERIA,
    OPTIONAL_CRITERIA,
    REASON_BANDS,
    REASON_KEYS,
    check_anchors,
    rate_between,
    rate_by_rank,
    rate_by_share,
    rating_disagreements,
    score_key_account_criteria,
    weighted_known,
)
from .health import HEALTH_SIGNALS, RETENTION_THRESHOLDS, score_health
from .matrices import (
    BUYER_VIEW_RULES,
    CHUNK_ELEMENTS,
    FRUSTRATION_RULES,
    QUADRANT_RULES,
    label,
    plot_robustness,
    plot_selection_matrix,
    plot_supplier_positioning,
    score_selection_matrix,
    score_supplier_positioning,
    weight_robustness,
)
from .stages import (
    ABSENT,
    STAGE_EVIDENCE,
    SYNERGY_EVIDENCE,
    VOCABULARIES,
    Migration,
    classify_relationship_stage,
    migration,
    plot_migration,
    plot_stage_distribution,
    stage_evidence_table,
)
from .tiers import QUALIFYING_TIERS, TIER_LIFTS, assign_tiers, score_strength

__all__ = [
    "ABSENT",
    "BUYER_VIEW_RULES",
    "CHUNK_ELEMENTS",
    "CHURN_RULES",
    "CHURN_THRESHOLDS",
    "CONTACT_RULE",
    "CRITERION_RULES",
    "FRUSTRATION_RULES",
    "HEALTH_SIGNALS",
    "MEASURED_CRITERIA",
    "OPTIONAL_CRITERIA",
    "QUADRANT_RULES",
    "QUALIFYING_TIERS",
    "REASON_BANDS",
    "REASON_KEYS",
    "RETENTION_THRESHOLDS",
    "STAGE_EVIDENCE",
    "SYNERGY_EVIDENCE",
    "TIER_LIFTS",
    "TOLERANCE",
    "VOCABULARIES",
    "Migration",
    "assign_tiers",
    "buying_centre_coverage",
    "check_anchors",
    "churn_signals",
    "classify_relationship_stage",
    "label",
    "migration",
    "plot_buying_centre",
    "plot_migration",
    "plot_robustness",
    "plot_selection_matrix",
    "plot_stage_distribution",
    "plot_supplier_positioning",
    "portfolio_concentration",
    "rate_between",
    "rate_by_rank",
    "rate_by_share",
    "rating_disagreements",
    "score_health",
    "score_key_account_criteria",
    "score_selection_matrix",
    "score_strength",
    "score_supplier_positioning",
    "stage_evidence_table",
    "weight_robustness",
    "weighted_known",
]
