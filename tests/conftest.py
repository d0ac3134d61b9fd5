"""Shared fixtures: the sample engagement, corrupted copies of it, and one report run of it.

Tests marked ``slow`` (a Jupyter kernel, a report batch, a wheel, a notebook under nbval) are
left out of ``make check``; :func:`pytest_collection_modifyitems` marks every notebook cell
and every test using a fixture of :data:`BATCH_FIXTURES`, so such a test cannot land in the
fast lane unmarked.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import settings

matplotlib.use("Agg")

import kamanalysis as kam
from kamanalysis.base import paths
from kamanalysis.data.engagement import Engagement

# One profile for every property test: the same examples on every run and machine (derandomize,
# no example database), and no per-example deadline -- a loaded or slower CI machine is not a
# failure; speed lives in bench/, never in a test.
settings.register_profile("kamanalysis", derandomize=True, database=None, deadline=None)
settings.load_profile("kamanalysis")


@pytest.fixture(scope="session")
def sample():
    """The committed sample engagement, loaded once."""
    return kam.load_engagement(paths.SAMPLE_DATA)


#: Fixtures that run a report batch, or exist only to run one on: a test using one is slow.
#: ``batch`` and ``small`` are tests/test_batch.py's, ``installed`` tests/test_install.py's.
BATCH_FIXTURES = frozenset(
    {
        "sample_report",
        "sample_report_zh",
        "sample_reports",
        "every_quarter",
        "batch",
        "small",
        "installed",
    }
)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects
def pytest_collection_modifyitems(config, items):
    """Mark slow the notebooks' cells (nbval) and every test using a batch fixture.

    In an xdist worker, also write down the tests on the batch fixtures for
    :class:`BatchScheduling`.
    """
    batched = []
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)
        elif BATCH_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
            batched.append(item.nodeid)
    folder = getattr(config, "workerinput", {}).get(GROUPS_KEY)
    if folder:
        name = f"{config.workerinput['workerid']}.txt"
        Path(folder, name).write_text("\n".join(batched), encoding="utf-8")


#: The key of the folder where the xdist workers write the tests on the batch fixtures.
GROUPS_KEY = "kam_batch_groups"


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """Hand each xdist worker the folder to write its tests on the batch fixtures into."""
    if node.config.getvalue("dist") != "loadgroup":  # not scheduled by BatchScheduling
        return
    if _GROUPS not in node.config.stash:  # one folder for all the workers
        import tempfile

        node.config.stash[_GROUPS] = tempfile.mkdtemp(prefix="kam-xdist-groups-")
    node.workerinput[GROUPS_KEY] = node.config.stash[_GROUPS]


_GROUPS = pytest.StashKey[str]()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Schedule by groups: see :class:`BatchScheduling` (``make test``'s slow lane)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BatchScheduling(LoadScopeScheduling):
        """Each notebook whole in one worker, the tests on the shared batch runs in one.

        A notebook's cells share its kernel and run in order; the tests on the batch
        fixtures (:data:`BATCH_FIXTURES`) share the sample's batch runs, made once per
        worker that needs them: in one worker, the sample is run once. Every other test goes
        to whichever worker is free. (xdist's own ``--dist loadgroup`` reads ``xdist_group``
        marks through the test ids, which pytest 9.2 no longer lets it change:
        pytest-dev/pytest-xdist#1386.)
        """

        batched: set[str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.batched is None:
                folder = Path(config.stash[_GROUPS])
                self.batched = {
                    line
                    for written in folder.glob("*.txt")
                    for line in written.read_text(encoding="utf-8").splitlines()
                }
                shutil.rmtree(folder, ignore_errors=True)
            if ".ipynb::" in nodeid:
                return nodeid.split("::", 1)[0]
            return "batch" if nodeid in self.batched else nodeid

    return BatchScheduling(config, log)


def _files(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _shared_run(out: Path, **options):
    """Run the batch on the unchanged sample; after the session, check nobody wrote into it."""
    from kamanalysis.report import run_reports

    result = run_reports(paths.SAMPLE_DATA, out, progress=False, **options)
    written = _files(out)
    yield result
    assert _files(out) == written, f"a test wrote into the shared reports in {out}: copy them"


@pytest.fixture(scope="session")
def sample_report(sample, tmp_path_factory):
    """``kam report`` of the unchanged sample in its own language (English), run once.

    Shared by every test that only reads the sample's reports: read it, never write into
    ``sample_report.out``; a test that runs a batch beside it copies ``.out`` first.
    """
    assert sample.language == "en"
    yield from _shared_run(tmp_path_factory.mktemp("sample-reports"))


@pytest.fixture(scope="session")
def sample_report_zh(sample, tmp_path_factory):
    """``kam report --lang zh`` of the unchanged sample, run once (read it, never write)."""
    yield from _shared_run(tmp_path_factory.mktemp("sample-reports-zh"), lang="zh")


@pytest.fixture(scope="session")
def sample_reports(sample_report, sample_report_zh):
    """The sample's reports in English and in Chinese, by language."""
    return {"en": sample_report, "zh": sample_report_zh}


@pytest.fixture(scope="session")
def every_quarter(sample, sample_report, tmp_path_factory):
    """Every quarter of the sample, every BU, in English, as ``kam report --quarter all``.

    The current quarter is the shared run of the sample (``sample_report``), copied; the
    earlier quarters are run into the copy by one :func:`run_quarters`, in one pool.
    """
    from kamanalysis.report import run_quarters

    out = tmp_path_factory.mktemp("every-quarter") / "reports"
    shutil.copytree(sample_report.out, out)
    earlier = [q for q in sample.quarters if q != sample.current_quarter]
    results = run_quarters(paths.SAMPLE_DATA, out, earlier, lang="en", jobs=2, progress=False)
    assert list(results) == earlier
    written = _files(out)
    yield out, results | {sample.current_quarter: sample_report}
    assert _files(out) == written, f"a test wrote into the shared reports in {out}: copy them"


def _shared_workbook(eng: Engagement, path: Path):
    """Write ``eng`` once as the workbook ``path``; after the session, check it unchanged."""
    from kamanalysis.data.workbook import write_workbook

    write_workbook(eng.settings, eng.tables, path)
    written = path.read_bytes()
    yield path
    assert path.read_bytes() == written, f"a test wrote into the shared workbook {path}: copy it"


@pytest.fixture(scope="session")
def sample_workbook(sample, tmp_path_factory) -> Path:
    """The sample written once as an engagement workbook: read it, or copy it to edit."""
    yield from _shared_workbook(sample, tmp_path_factory.mktemp("sample-workbook") / "sample.xlsx")


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample engagement folder."""
    target = tmp_path / "engagement"
    shutil.copytree(paths.SAMPLE_DATA, target)
    return target


def shuffled(eng: Engagement, seed: int) -> Engagement:
    """Each quarter's ledger rows permuted across the accounts of their BU (seeded).

    The backtest's null check (issue 24): a history shuffled so that nothing predicts it.
    """
    rng = np.random.default_rng(seed)
    ledger = eng.account_quarters.copy()
    ids = ledger["account_id"].to_numpy(copy=True)
    for rows in ledger.groupby(["bu_id", "quarter"]).indices.values():
        ids[rows] = rng.permutation(ids[rows])
    ledger["account_id"] = ids
    ledger = ledger.sort_values(["bu_id", "account_id", "quarter"]).reset_index(drop=True)
    tables = {**eng.tables, "account_quarters": ledger}
    return Engagement(eng.settings, tables, eng.source, absent=list(eng.absent))


@pytest.fixture(scope="session")
def sample_bt(sample):
    """The backtest of the sample, four quarters ahead (issue 24): read it, never change it."""
    return kam.backtest.score_backtest(sample, horizon=4)


@pytest.fixture(scope="session")
def shuffled_bts(sample):
    """The backtests of the sample's history shuffled with seeds 0 and 1 (the null check)."""
    return {seed: kam.backtest.score_backtest(shuffled(sample, seed=seed)) for seed in (0, 1)}


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(folder: Path, table: str, file_row: int, column: str, value: str) -> str:
    """Set one cell of ``table``.csv by its row as the file shows it; return the old value."""
    path = folder / f"{table}.csv"
    rows = read_rows(path)
    j = rows[0].index(column)
    old = rows[file_row - 1][j]
    rows[file_row - 1][j] = value
    write_rows(path, rows)
    return old


def drop_column(folder: Path, table: str, column: str) -> None:
    path = folder / f"{table}.csv"
    rows = read_rows(path)
    j = rows[0].index(column)
    write_rows(path, [r[:j] + r[j + 1 :] for r in rows])


# F. R. David, Strategic Management: Concepts and Cases, 13th ed. (Prentice Hall, 2011),
# Table 3-14 "Another Example Competitive Profile Matrix", p. 82 (seen reproduced at
# digilib.universitaspertamina.ac.id/ebook/Strategic management, page 116).
CPM_WEIGHTS = {
    "Market share": 0.15,
    "Inventory system": 0.08,
    "Financial position": 0.10,
    "Product quality": 0.08,
    "Consumer loyalty": 0.02,
    "Sales distribution": 0.10,
    "Global expansion": 0.15,
    "Organization structure": 0.05,
    "Production capacity": 0.04,
    "E-commerce": 0.10,
    "Customer service": 0.10,
    "Price competitive": 0.02,
    "Management experience": 0.01,
}
CPM_RATINGS = pd.DataFrame(
    {
        "Company 1": [3, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 4, 2],
        "Company 2": [2, 2, 3, 4, 3, 2, 2, 4, 2, 1, 2, 1, 4],
        "Company 3": [4, 4, 4, 3, 4, 3, 4, 2, 4, 4, 4, 3, 2],
    },
    index=list(CPM_WEIGHTS),
)


# --- fastdata: the sample cut to its last two quarters, for tests whose property does not
# depend on the engagement's size: every BU, account, contact and manager, and the quarterly
# tables' rows of 2026Q2 and 2026Q3 only (a quarter of them). Loading it takes a third of the
# sample's time, a full openpyxl load of its workbook (to edit it) a quarter.

#: The first quarter kept in the cut (the sample's current quarter stays 2026Q3).
RECENT_FROM = "2026Q2"


@pytest.fixture(scope="session")
def recent_folder(sample, tmp_path_factory) -> Path:
    """The cut sample written once as an engagement folder: read it, or copy it to edit."""
    from kamanalysis.data.workbook import write_folder

    tables = {
        name: frame.loc[frame["quarter"] >= RECENT_FROM].reset_index(drop=True)
        if "quarter" in frame
        else frame
        for name, frame in sample.tables.items()
    }
    folder = write_folder(sample.settings, tables, tmp_path_factory.mktemp("recent") / "recent")
    written = _files(folder)
    yield folder
    assert _files(folder) == written, f"a test wrote into the shared folder {folder}: copy it"


@pytest.fixture(scope="session")
def recent(recent_folder) -> Engagement:
    """The cut sample as loaded from its folder: read it, never change it."""
    return kam.load_engagement(recent_folder)


@pytest.fixture(scope="session")
def recent_workbook(recent, tmp_path_factory) -> Path:
    """The cut sample written once as an engagement workbook: read it, or copy it to edit."""
    yield from _shared_workbook(recent, tmp_path_factory.mktemp("recent-workbook") / "recent.xlsx")


# --- fastreport: shared diagnoses of the sample, and reports without their PNGs (issue 16)


@pytest.fixture(scope="session")
def sample_diagnosis(sample):
    """``diagnose(sample, bu, lang=lang)`` of the unchanged sample, each computed once.

    A function ``(bu, lang="en", quarter=None) -> (facts, found)``; with a quarter, the
    diagnosis of ``sample.as_of(quarter)``. Every call returns a deep copy, so a test may
    change what it gets without changing what the next test gets.
    """
    import copy

    from kamanalysis.report.findings import diagnose

    done: dict[tuple, tuple[dict, pd.DataFrame]] = {}

    def diagnosed(bu: str, lang: str = "en", quarter: str | None = None):
        key = (bu, lang, quarter)
        if key not in done:
            eng = sample if quarter is None else sample.as_of(quarter)
            done[key] = diagnose(eng, bu, lang=lang)
        return copy.deepcopy(done[key])

    return diagnosed


#: The modules that embed a chart as a PNG through ``display.image_tag``.
IMAGE_TAG_MODULES = (
    "display",
    "index",
    "group_views",
    "group_page",
    "plan_parts",
    "backtest_page",
)


@pytest.fixture
def no_chart_images(monkeypatch):
    """Charts are drawn as usual but not rendered to PNG: their ``<img>`` keeps its alt text.

    For tests that read a report's texts and tables only (rendering is about half the time
    of a report's sections); a test that looks at the images themselves does not use it.
    """
    import importlib

    import matplotlib.pyplot as plt

    from kamanalysis.base.markup import safe

    def image_tag(figure, alt: str, *, dpi: int = 100) -> str:
        plt.close(figure)
        return f'<img alt="{safe(alt)}" src="data:image/png;base64," style="max-width: 100%;">'

    for name in IMAGE_TAG_MODULES:
        module = importlib.import_module(f"kamanalysis.report.{name}")
        assert hasattr(module, "image_tag"), name
        monkeypatch.setattr(module, "image_tag", image_tag)
