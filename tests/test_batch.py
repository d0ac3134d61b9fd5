"""The batch at scale: parallel workers, identical re-runs, a BU alone = in a batch, Dask, atomicity."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re

import pytest

from kamanalysis.cli import main
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import write_folder
from kamanalysis.report import ReportError, engine, run, run_reports

QUARTER_DIR = "small-engagement/2026Q3"


def files_of(folder) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A generated engagement of two BUs, small enough to run many times."""
    settings, tables = generate(n_bus=2, n_accounts=30, seed=7)
    settings["engagement"]["name"] = "Small engagement"
    return write_folder(settings, tables, tmp_path_factory.mktemp("small") / "data")


@pytest.fixture(scope="module")
def batch(small, tmp_path_factory):
    """``kam report`` on two BUs with two worker processes, through the command line."""
    out = tmp_path_factory.mktemp("batch")
    code = main(["report", str(small), "--out", str(out), "--jobs", "2"])
    return code, out


@pytest.fixture(scope="module")
def alone(small, tmp_path_factory):
    """``kam report --bu IC --jobs 1``: one BU alone, with what the command printed."""
    out = tmp_path_factory.mktemp("alone")
    printed, shown = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(shown):
        code = main(["report", str(small), "--out", str(out), "--bu", "IC", "--jobs", "1"])
    return code, out, printed.getvalue(), shown.getvalue()


def test_the_command_writes_every_bu_in_parallel_and_sums_up(batch, small, capsys):
    code, out = batch
    assert code == 0
    for bu in ("PV", "IC"):
        assert (out / QUARTER_DIR / f"{bu}.html").exists()
        assert (out / QUARTER_DIR / f"{bu}.ipynb").exists()
    assert (out / "index.html").exists() and (out / QUARTER_DIR / "summary.csv").exists()


def test_progress_bar_and_summary_are_shown(alone):
    code, out, printed, shown = alone
    assert code == 0
    assert "1/1" in shown  # the progress bar over BUs
    assert f"wrote 1 BU report for 2026Q3 to {out / QUARTER_DIR}" in printed
    assert re.search(r"in \d+\.\d s", printed)


def test_a_rerun_on_unchanged_data_is_byte_identical(batch, small, tmp_path):
    _, out = batch
    again = tmp_path / "again"
    # one worker this time: both BUs run one after the other in the same warm kernel
    run_reports(small, again, jobs=1, progress=False)
    assert files_of(again) == files_of(out)


def test_a_bu_alone_gives_the_same_report_as_in_a_batch(batch, alone):
    _, out = batch
    _, ic_out, _, _ = alone
    for name in ("IC.html", "IC.ipynb"):
        assert (ic_out / QUARTER_DIR / name).read_bytes() == (out / QUARTER_DIR / name).read_bytes()


def test_state_left_by_one_bu_does_not_reach_the_next(small, tmp_path):
    """A notebook that changes global state (a variable, matplotlib, a package module)."""
    from kamanalysis.base import paths

    nb = json.loads(paths.DIAGNOSIS_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "leak",
            "metadata": {},
            "outputs": [],
            "source": [
                "import matplotlib.pyplot as plt\n",
                "print(sorted(k for k in globals() if k.startswith('leaked')), "
                "plt.rcParams['lines.linewidth'], hasattr(kam, 'leaked'))\n",
                "leaked_from = bu_id\n",
                "plt.rcParams['lines.linewidth'] = 9\n",
                "kam.leaked = True",
            ],
        }
    )
    notebook = tmp_path / "leaky.ipynb"
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    result = run_reports(small, tmp_path / "out", jobs=1, notebook=notebook, progress=False)
    printed = []
    for bu in ("PV", "IC"):
        executed = json.loads((result.folder / f"{bu}.ipynb").read_text(encoding="utf-8"))
        printed.append("".join(executed["cells"][-1]["outputs"][0]["text"]))
    assert printed[0] == printed[1]  # IC ran after PV in the same kernel and saw nothing of it
    assert printed[0].startswith("[] ") and printed[0].endswith(" False\n")
    assert " 9 " not in printed[0]


def test_the_dask_path_on_a_local_cluster_gives_the_same_reports(batch, small, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, out = batch
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = run_reports(
            small, tmp_path, bus=["PV"], scheduler=cluster.scheduler_address, progress=False
        )
    for name in ("PV.html", "PV.ipynb"):
        assert (result.folder / name).read_bytes() == (out / QUARTER_DIR / name).read_bytes()
    assert engine._ALL_KERNELS == []  # the workers' kernels were stopped


def test_an_unreachable_scheduler_is_a_clear_error(small, tmp_path):
    pytest.importorskip("distributed")
    import dask

    # the wait is Dask's connect timeout (30 s by default): shortened here
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "2s"}),
        pytest.raises(ReportError, match="no Dask scheduler answered at tcp://127.0.0.1:9"),
    ):
        run_reports(small, tmp_path, scheduler="tcp://127.0.0.1:9", progress=False)


def test_a_failing_bu_exits_1_naming_the_section(small, tmp_path, monkeypatch, capsys):
    from kamanalysis.base import paths

    nb = json.loads(paths.DIAGNOSIS_NOTEBOOK.read_text(encoding="utf-8"))
    overview = next(
        i for i, c in enumerate(nb["cells"]) if 'show("overview")' in "".join(c["source"])
    )
    nb["cells"].insert(
        overview + 1,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "x",
            "metadata": {},
            "outputs": [],
            "source": ["assert bu_id != 'IC', 'no revenue table for IC'"],
        },
    )
    notebook = tmp_path / "broken.ipynb"
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(run, "DIAGNOSIS_NOTEBOOK", notebook)
    code = main(["report", str(small), "--out", str(tmp_path / "out"), "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert (
        'BU IC failed in section "Largest accounts this quarter": AssertionError: no revenue table for IC'
        in err
    )
    assert "1 of 2 reports failed" in err and "Traceback" not in err
    assert (tmp_path / "out" / QUARTER_DIR / "PV.html").exists()
    assert not (tmp_path / "out" / QUARTER_DIR / "IC.html").exists()


def test_a_file_is_moved_into_place_only_when_complete(tmp_path, monkeypatch):
    staging = tmp_path / "staging"
    staging.mkdir()
    target = tmp_path / "IC.html"
    target.write_text("last quarter's report")

    def interrupted(src, dst):
        assert os.path.dirname(src) == str(staging)  # written in full beside, not in place
        assert open(src, encoding="utf-8").read() == "new report"
        raise OSError("disk full")

    monkeypatch.setattr(run.os, "replace", interrupted)
    with pytest.raises(OSError, match="disk full"):
        run._write(target, "new report", staging)
    assert target.read_text() == "last quarter's report"


def test_a_bu_failing_before_any_import_does_not_spoil_the_next_in_the_same_kernel(small, tmp_path):
    from kamanalysis.base import paths

    nb = json.loads(paths.DIAGNOSIS_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"][1]["source"] = [
        "assert bu_id != 'PV', 'PV stops early'\n",
        *nb["cells"][1]["source"],
    ]
    notebook = tmp_path / "early.ipynb"
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ReportError, match="BU PV failed before the first section") as info:
        run_reports(small, tmp_path / "out", jobs=1, notebook=notebook, progress=False)
    assert set(info.value.result.reports) == {"IC"}  # ran after PV, in the same kernel
