"""The walking-skeleton report: papermill per BU, HTML with code hidden, an index, atomic output."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import set_cell

import kamanalysis as kam
from kamanalysis import paths
from kamanalysis.report import ReportError, run_reports


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return run_reports(paths.SAMPLE_DATA, out, progress=False)


def text_of(path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<style.*?</style>|<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def html_images(path) -> int:
    return len(re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]{1000,}", path.read_text()))


def test_one_report_per_bu_and_an_index(report, sample):
    assert set(report.reports) == set(sample.bu_ids)
    index = report.index.read_text(encoding="utf-8")
    for bu in sample.bu_ids:
        assert report.reports[bu].exists()
        assert f'href="{bu}.html"' in index
        assert (report.out / "notebooks" / f"{bu}.ipynb").exists()
    assert "Huaxin Industrial Group 华信工业集团" in index


def test_executed_notebook_got_the_bu_parameter(report):
    nb = json.loads((report.out / "notebooks" / "MC.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1
    assert 'bu_id = "MC"' in "".join(injected[0]["source"])


def test_bad_data_writes_nothing_and_keeps_the_good_report(report, sample_copy, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(report.out, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    set_cell(sample_copy, "pest", 2, "impact", "9")
    with pytest.raises(kam.InputValidationError, match=r"pest\.csv row 2, column impact"):
        run_reports(sample_copy, out, progress=False)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_failing_notebook_keeps_the_good_report(report, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(report.out, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = json.loads(paths.DIAGNOSIS_NOTEBOOK.read_text(encoding="utf-8"))
    broken["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "boom",
            "metadata": {},
            "outputs": [],
            "source": ["raise RuntimeError('chart failed')"],
        }
    )
    notebook = tmp_path / "broken.ipynb"
    notebook.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(
        ReportError, match=r"BU PV: the notebook failed in cell \d+: RuntimeError: chart failed"
    ):
        run_reports(paths.SAMPLE_DATA, out, bus=["PV"], notebook=notebook, progress=False)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(out.glob(".kam-staging-*"))


def test_unknown_bu_is_an_input_error(tmp_path):
    with pytest.raises(kam.InputValidationError, match="one of the BUs PV, IC, MC"):
        run_reports(paths.SAMPLE_DATA, tmp_path, bus=["XX"], progress=False)
