"""The account manager and the key-account organisation (大客户经理与大客户组织).

The seeds' people methods, as functions on DataFrames (no ``Engagement``), one idea a file:

- :mod:`.fit`: the competency profile each relationship stage needs
  (:data:`STAGE_PROFILES`, seed 000) against each manager's assessed competencies,
  weighted by the stages and revenue of the manager's accounts (:func:`stage_profiles`,
  :func:`score_manager_fit`, :func:`account_fit`); gaps ranked, each with a
  recommendation (:func:`competency_gaps`, :data:`GAP_ACTIONS`); the chart of a BU's
  managers' fit and load (:func:`plot_manager_fit`).
- :mod:`.staffing`: who manages which account, checked (:func:`check_managers`: ids known,
  competencies on their scale, a manager of the account's own BU), and accounts, key
  accounts and revenue per manager against :data:`SPAN` (:func:`workload`).
- :mod:`.contact`: how to approach each person in a buying centre by social style (seed
  003) and attitude, and the roles still to reach (:func:`contact_plan`); a SPIN call plan
  generated from an account's data (:func:`spin_call_plan`, :func:`situation_facts`).
- :mod:`.retention`: the churn-risk signals mapped to the seeds' causes of loss, the
  "treated with indifference" cause (68 %) measured (:func:`indifference`,
  :func:`churn_causes`).
- :mod:`.organisation`: the Thomas-Kilmann mode for a described situation
  (:func:`conflict_mode`, seed 003) and which of the three key-account organisations fits
  (:func:`organisation_form`, seed 002).
- :mod:`.development`: the competencies as rated up to a quarter, when rated again in later
  quarters (:func:`ratings_as_of`), and each manager's development (:func:`competency_development`).
- :mod:`._common`: the private helpers these files share.

Texts a consultant may change (approaches, questions, recommendations, reasons) are module
data tables in English and Chinese, each in the file that uses it.

Examples
--------
>>> import pandas as pd
>>> from kamanalysis.base.schema import COMPETENCIES
>>> m = pd.DataFrame({"manager_id": ["M1"], "bu_id": ["B"], "name": ["Li"],
...     **{f"comp_{c}": [4.0] for c in COMPETENCIES}})
>>> a = pd.DataFrame({"account_id": ["A"], "manager_id": ["M1"], "stage": ["partnership"],
...     "revenue": [100.0]})
>>> float(score_manager_fit(m, a).loc["M1", "fit"])
1.0
"""

from __future__ import annotations

from .contact import (
    AIMS,
    ATTITUDE_AIM,
    NO_STYLE_NOTE,
    SPIN_KINDS,
    SPIN_TEXT,
    STYLE_APPROACH,
    WEAK_FEEDBACK,
    aim_text,
    contact_plan,
    situation_facts,
    spin_call_plan,
)
from .development import competency_development, ratings_as_of
from .fit import (
    COMPETENCY_NAMES,
    GAP_ACTIONS,
    GAP_TEXT,
    STAGE_PROFILES,
    STAGE_ROLES,
    account_fit,
    competency_gaps,
    plot_manager_fit,
    score_manager_fit,
    stage_profiles,
)
from .organisation import (
    CONFLICT_MODES,
    CONFLICT_RULES,
    CONFLICT_VALUES,
    CONFLICT_WHY,
    MATURE_STAGES,
    ORGANISATION_NEEDS,
    ORGANISATION_REASONS,
    ORGANISATION_RULES,
    conflict_mode,
    organisation_form,
)
from .retention import (
    CAUSE_TEXT,
    CHURN_CAUSES,
    INDIFFERENCE_TEXT,
    INDIFFERENCE_THRESHOLDS,
    SIGNAL_CAUSES,
    UNANSWERED_MARKERS,
    churn_causes,
    indifference,
    unanswered_complaints,
)
from .staffing import SPAN, check_managers, workload

__all__ = [
    "AIMS",
    "ATTITUDE_AIM",
    "CAUSE_TEXT",
    "CHURN_CAUSES",
    "COMPETENCY_NAMES",
    "CONFLICT_MODES",
    "CONFLICT_RULES",
    "CONFLICT_VALUES",
    "CONFLICT_WHY",
    "GAP_ACTIONS",
    "GAP_TEXT",
    "INDIFFERENCE_TEXT",
    "INDIFFERENCE_THRESHOLDS",
    "MATURE_STAGES",
    "NO_STYLE_NOTE",
    "ORGANISATION_NEEDS",
    "ORGANISATION_REASONS",
    "ORGANISATION_RULES",
    "SIGNAL_CAUSES",
    "SPAN",
    "SPIN_KINDS",
    "SPIN_TEXT",
    "STAGE_PROFILES",
    "STAGE_ROLES",
    "STYLE_APPROACH",
    "UNANSWERED_MARKERS",
    "WEAK_FEEDBACK",
    "account_fit",
    "aim_text",
    "check_managers",
    "churn_causes",
    "competency_development",
    "competency_gaps",
    "conflict_mode",
    "contact_plan",
    "indifference",
    "organisation_form",
    "plot_manager_fit",
    "ratings_as_of",
    "score_manager_fit",
    "situation_facts",
    "spin_call_plan",
    "stage_profiles",
    "unanswered_complaints",
    "workload",
]
