"""Issue 22 (5): reassignment advice that considers a swap and never says "keep" in vain."""

from __future__ import annotations

import pandas as pd
import pytest

import kamanalysis as kam
from kamanalysis.base.schema import COMPETENCIES
from kamanalysis.diagnosis.summary import bu_facts
from kamanalysis.tools.managers import account_fit, competency_gaps


def test_the_sample_seller_who_fits_none_of_his_accounts_gets_a_swap(sample):
    pv = kam.diagnosis.account_management(sample, "PV")
    chen = pv.gaps.loc[pv.gaps["manager_id"] == "PVM01"].iloc[0]
    assert chen["action"] == "reassign" and not chen["fits_other"]
    assert chen["swap"] == "PV009" and chen["colleague"] == "PVM03"
    assert "keeps" not in chen["recommendation"]
    # both fit better after the swap, each at the other's account
    table = pv.managers.reset_index()
    stage = kam.diagnosis.key_account_portfolio(sample, "PV")["stage"]

    def fit(manager, account):
        one = pd.DataFrame(
            {
                "account_id": [account],
                "manager_id": [manager],
                "stage": [stage[account]],
                "revenue": [1.0],
            }
        )
        return float(account_fit(table, one).loc[account, "fit"])

    assert fit("PVM01", "PV009") > fit("PVM01", "PV001")
    assert fit("PVM03", "PV001") >= fit("PVM03", "PV009")
    found = kam.findings.evaluate(bu_facts(sample, "PV")).set_index("id")
    assert "manager_misfit_reassign" not in found.index
    action = found.loc["manager_misfit_swap", "action"]
    assert action.startswith("Swap Zhongyuan Steel 中原钢铁 (PV001) for Zhao Gang")
    assert "(PV009)" in action and "'s PV009" not in action  # both accounts by name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_manager_is_told_to_keep_accounts_his_skills_do_not_fit(sample, lang):
    keep = "keeps the accounts" if lang == "en" else "保留与其能力相符"
    seen = 0
    for bu in sample.bu_ids:
        gaps = kam.diagnosis.account_management(sample, bu, lang=lang).gaps
        none = gaps.loc[(gaps["action"] == "reassign") & ~gaps["fits_other"]]
        seen += len(none)
        assert not none["recommendation"].str.contains(keep).any()
    assert seen > 0


def test_without_a_swap_the_advice_names_the_stage_he_fits(sample):
    ratings = {f"comp_{c}": [4.0, 5.0] for c in COMPETENCIES}
    managers = pd.DataFrame({"manager_id": ["M1", "M2"], "bu_id": "B", "name": ["Chen", "Wang"]})
    managers = managers.assign(**ratings)
    managers.loc[0, ["comp_joint_planning", "comp_process_it"]] = 1.0
    accounts = pd.DataFrame(
        {
            "account_id": ["A", "B"],
            "manager_id": ["M1", "M2"],
            "stage": ["partnership", "partnership"],
            "revenue": [10.0, 5.0],
        }
    )
    gaps = competency_gaps(managers, accounts)
    top = gaps.iloc[0]
    assert top["action"] == "reassign" and top["swap"] == "" and not top["fits_other"]
    assert "keeps" not in top["recommendation"]
    assert f"accounts at the {top['best_stage']} stage" in top["recommendation"]
    # with an account he fits, he keeps it (the old advice, where it is true)
    more = pd.concat(
        [
            accounts,
            pd.DataFrame(
                {"account_id": ["C"], "manager_id": ["M1"], "stage": ["early"], "revenue": [1.0]}
            ),
        ],
        ignore_index=True,
    )
    top = competency_gaps(managers, more).iloc[0]
    assert top["fits_other"] and "keeps the accounts" in top["recommendation"]
