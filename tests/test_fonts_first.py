"""Issue 20, item 3: the CJK font is in place as soon as the package is imported.

A figure's texts take matplotlib's font list when they are made (an Axes makes its title,
axis labels and tick labels when it is created): a process whose first figure was made
before the package set up the CJK font drew Chinese as empty boxes (the zh index page's
grids). The drawing runs in a fresh Python process, the way a batch worker, the index page
and an account plan start, with matplotlib's missing-glyph warning turned into an error.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import kamanalysis as kam

#: Run in a fresh interpreter: the zh index grids, then every chart of a zh report (its
#: figures made with plt.subplots before the plotting functions run) and an account plan.
SCRIPT = textwrap.dedent(
    """
    import warnings
    warnings.filterwarnings("error", message=r"Glyph .* missing from font")
    import matplotlib
    matplotlib.use("Agg")

    import kamanalysis as kam
    from kamanalysis.report.display import SECTIONS
    from kamanalysis.report.index import _grids
    from kamanalysis.report.plans import account_plan_html
    from kamanalysis.report.sections import Report

    eng = kam.load_engagement(kam.paths.SAMPLE_DATA)
    grids = _grids(kam.diagnosis.strategic_position(eng), "zh")
    assert grids.count("<img") == 1, grids[:200]
    drawn = []
    Report._chart = lambda self, figure: drawn.append(figure) or kam.display.chart(figure, "zh")
    facts, found = kam.findings.diagnose(eng, "PV", lang="zh")
    report = Report(eng, "PV", facts, found, "zh")
    for key in ("position", "history", *SECTIONS):  # a section whose figure comes first
        for _ in report.parts(key):
            pass
    account = kam.diagnosis.key_account_portfolio(eng, "PV").index[0]
    plan = account_plan_html(eng, account, lang="zh")
    print(len(drawn), plan.count("<img"))
    """
)


def run_fresh(script: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": ""}
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600
    )


@pytest.mark.slow  # a fresh Python process
def test_a_fresh_process_draws_the_zh_index_grids_and_every_zh_chart_without_boxes():
    done = run_fresh(SCRIPT)
    assert done.returncode == 0, done.stderr[-3000:]
    charts, plan_images = (int(n) for n in done.stdout.split())
    assert charts >= 10  # every kind: history, revenue, PEST, forces, IE/GE, radar, ...
    assert plan_images >= 1  # the plan's trend charts


@pytest.mark.slow  # a fresh Python process
def test_the_check_catches_a_box_in_a_fresh_process():
    # the same check on a text drawn without the CJK font: the warning is an error there
    script = textwrap.dedent(
        """
        import warnings
        warnings.filterwarnings("error", message=r"Glyph .* missing from font")
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots()
        ax.set_title("大客户")
        fig.canvas.draw()
        """
    )
    done = run_fresh(script)
    assert done.returncode != 0 and "missing from font" in done.stderr


def test_importing_the_package_sets_up_the_cjk_font():
    import matplotlib as mpl

    assert kam.core.fonts.cjk_font() in mpl.rcParams["font.family"]
