"""The report batch on the sample: layout per engagement and quarter, content, failures, ids."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil

import pytest
from conftest import read_rows, set_cell, write_rows

import kamanalysis as kam
from kamanalysis.base import paths
from kamanalysis.report import ReportError, as_of, is_safe_id, run_reports, safe_name

ENGAGEMENT = "huaxin-industrial-group-key-account-marketing-diagnosis"


@pytest.fixture
def report(sample_report):
    """The shared run of the unchanged sample (conftest): read it, copy ``.out`` to write."""
    return sample_report


def text_of(path) -> str:
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<style.*?</style>|<script.*?</script>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def html_images(path) -> int:
    return len(re.findall(r"data:image/png;base64,[A-Za-z0-9+/=]{1000,}", path.read_text()))


def files_of(folder) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def broken_notebook(tmp_path, code: str):
    """The template with one more section whose cell runs ``code``."""
    nb = json.loads(paths.DIAGNOSIS_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"] += [
        {"cell_type": "markdown", "id": "stress", "metadata": {}, "source": ["## 9. Stress test"]},
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "boom",
            "metadata": {},
            "outputs": [],
            "source": [code],
        },
    ]
    path = tmp_path / "broken.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_reports_land_in_engagement_and_quarter_folders(report, sample):
    folder = report.out / ENGAGEMENT / "2026Q3"
    assert report.folder == folder and report.index == folder / "index.html"
    assert report.quarter == "2026Q3" and report.failures == {}
    assert set(report.reports) == set(sample.bu_ids)
    index = report.index.read_text(encoding="utf-8")
    for bu in sample.bu_ids:
        assert report.reports[bu] == folder / f"{bu}.html"
        assert (folder / f"{bu}.ipynb").exists()
        assert f'href="{bu}.html"' in index
    assert "Huaxin Industrial Group 华信工业集团" in index
    top = (report.out / "index.html").read_text(encoding="utf-8")
    assert f'href="{ENGAGEMENT}/2026Q3/index.html"' in top
    assert not [p for p in report.out.rglob("*") if p.name.startswith(".") or p.suffix == ".part"]


def test_summary_csv_has_a_row_per_bu(report, sample):
    with (report.folder / "summary.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["bu_id"] for r in rows] == sample.bu_ids
    expected = kam.bu_summary(sample)
    assert float(rows[0]["revenue"]) == pytest.approx(expected["revenue"].iloc[0])
    assert {r["status"] for r in rows} == {"ok"}
    assert rows[1]["report"] == "IC.html"


def test_executed_notebook_got_the_parameters_and_the_snapshot(report):
    nb = json.loads((report.folder / "MC.ipynb").read_text(encoding="utf-8"))
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1
    source = "".join(injected[0]["source"])
    assert 'bu_id = "MC"' in source
    assert 'snapshot = "snapshot.pkl"' in source  # validated once, handed over
    assert 'lang = "en"' in source
    text = json.dumps(nb)
    assert " at 0x" not in text  # no memory addresses: re-runs are byte-identical


def test_bad_data_writes_nothing_and_keeps_the_good_report(report, sample_copy, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(report.out, out)
    before = files_of(out)
    set_cell(sample_copy, "pest", 2, "impact", "9")
    with pytest.raises(kam.InputValidationError, match=r"pest\.csv row 2, column impact"):
        run_reports(sample_copy, out, progress=False)
    assert files_of(out) == before


def test_a_failing_bu_keeps_its_previous_report_and_the_others_are_written(report, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(report.out, out)
    before = files_of(out)
    folder = out / ENGAGEMENT / "2026Q3"
    notebook = broken_notebook(
        tmp_path, 'if bu_id == "PV":\n    raise RuntimeError("chart failed")'
    )
    with pytest.raises(
        ReportError,
        match=r'1 of 2 reports failed(.|\n)*BU PV failed in section "9\. Stress test": '
        r"RuntimeError: chart failed",
    ) as info:
        run_reports(paths.SAMPLE_DATA, out, bus=["PV", "IC"], notebook=notebook, progress=False)
    after = files_of(out)
    rel = folder.relative_to(out)
    for name in ("PV.html", "PV.ipynb", "MC.html", "MC.ipynb"):
        assert after[rel / name] == before[rel / name], name  # untouched
    assert after[rel / "IC.html"] != before[rel / "IC.html"]  # rewritten, with the new section
    assert "9. Stress test" in text_of(folder / "IC.html")
    assert set(info.value.result.reports) == {"IC"}
    index = (folder / "index.html").read_text(encoding="utf-8")
    assert 'href="PV.html"' in index and "chart failed" in index
    assert "failed this run; previous report kept" in (folder / "summary.csv").read_text()
    assert not list(out.rglob(".kam-staging-*"))


@pytest.mark.slow
def test_a_failure_while_loading_names_no_section(tmp_path):
    notebook = broken_notebook(tmp_path, "")
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"][1]["source"] = ["raise ValueError('no data')"]
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(ReportError, match=r"BU MC failed before the first section: ValueError"):
        run_reports(
            paths.SAMPLE_DATA, tmp_path / "out", bus=["MC"], notebook=notebook, progress=False
        )
    assert not (tmp_path / "out" / ENGAGEMENT / "2026Q3" / "MC.html").exists()


def test_an_earlier_quarter_goes_beside_the_current_one(report, every_quarter):
    # every_quarter: a copy of the sample's reports, the earlier quarters run into it
    out, results = every_quarter
    result = results["2026Q2"]
    assert result.folder == out / ENGAGEMENT / "2026Q2"
    text = text_of(result.reports["PV"])
    assert "Pumps &amp; Valves (PV): marketing-strategy diagnosis, 2026Q2" in text
    assert "2026Q3" not in text  # later quarters are not in the data as of 2026Q2
    before, after = files_of(report.out), files_of(out)
    for name, content in before.items():
        if name.parts[-1] != "index.html" or len(name.parts) > 1:
            assert after[name] == content, name  # the 2026Q3 reports stay as they were
    top = (out / "index.html").read_text(encoding="utf-8")
    assert top.index("2026Q3/index.html") < top.index("2026Q2/index.html")  # newest first


def test_as_of_drops_later_quarters_without_changing_the_input(sample):
    earlier = as_of(sample, "2025Q4")
    assert earlier.current_quarter == "2025Q4" and sample.current_quarter == "2026Q3"
    assert earlier.quarters[-1] == "2025Q4" and sample.quarters[-1] == "2026Q3"
    assert (earlier.pest["quarter"] <= "2025Q4").all()
    # accounts not yet customers in 2025Q4 (since 2026Q1 or later) are left out
    assert len(earlier.accounts) == (sample.accounts["since_quarter"] <= "2025Q4").sum()
    assert len(earlier.rows["pest"]) == len(earlier.pest)


@pytest.mark.slow  # run_reports starts a worker and its kernel before it validates
@pytest.mark.parametrize(
    ("quarter", "lang", "message"),
    [
        (
            "2026-3",
            None,
            r'--quarter: expected a quarter with sales data, 2024Q4 to 2026Q3, got "2026-3"',
        ),
        ("2019Q1", None, r'got "2019Q1"'),
        (None, "fr", r'--lang: expected one of en, zh, got "fr"'),
    ],
)
def test_bad_quarter_or_language_is_an_input_error(quarter, lang, message, tmp_path):
    with pytest.raises(kam.InputValidationError, match=message):
        run_reports(paths.SAMPLE_DATA, tmp_path, quarter=quarter, lang=lang, progress=False)
    assert not any(tmp_path.iterdir())


@pytest.mark.slow  # run_reports starts a worker and its kernel before it validates
def test_unknown_bu_is_an_input_error(tmp_path):
    with pytest.raises(kam.InputValidationError, match="one of the BUs PV, IC, MC"):
        run_reports(paths.SAMPLE_DATA, tmp_path, bus=["XX"], progress=False)


def rename_bu(folder, old: str, new: str) -> None:
    """Rename a BU in every table of an engagement folder."""
    for path in folder.glob("*.csv"):
        rows = read_rows(path)
        if "bu_id" in rows[0]:
            j = rows[0].index("bu_id")
            for row in rows[1:]:
                if row[j] == old:
                    row[j] = new
            write_rows(path, rows)


@pytest.mark.slow  # run_reports starts a worker and its kernel before it validates
@pytest.mark.parametrize("bad", ["../MC", "M/C", "M\\C", "..", "M\x07C", "M\tC"])
def test_a_bu_id_unsafe_as_a_file_name_is_a_validation_error(bad, sample_copy, tmp_path):
    rename_bu(sample_copy, "MC", bad)
    assert kam.load_engagement(sample_copy).bu_ids[-1] == bad  # the loader takes it as an id
    with pytest.raises(
        kam.InputValidationError,
        match=r"business_units\.csv row 4, column bu_id: expected an id usable as a file name",
    ):
        run_reports(sample_copy, tmp_path / "out", bus=["PV"], progress=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("good", ["PV", "华东-1", "B.U_2", "A B"])
def test_safe_ids(good):
    assert is_safe_id(good)


def test_safe_name_keeps_folders_inside_out():
    for name in ("../../x", "/etc/passwd", "a\\b", "..", "C:\\x"):
        assert "/" not in safe_name(name) and "\\" not in safe_name(name)
        assert safe_name(name) not in ("", ".", "..")


def test_summary_csv_cells_are_neutralised():
    from kamanalysis.report.index import _csv

    summary = kam.bu_summary(as_of(kam.load_engagement(paths.SAMPLE_DATA)))
    summary["name"] = ["=HYPERLINK(1)", "+86", "@x"]
    summary["report"], summary["status"] = "x.html", "ok"
    rows = list(csv.reader(io.StringIO(_csv(summary))))
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(1)", "'+86", "'@x"]
    assert float(rows[1][3]) == summary["revenue"].iloc[0]  # numbers stay numbers
    assert rows[2][5].startswith("-0.16")  # a negative number is not text: left alone


@pytest.mark.slow
def test_the_template_still_runs_by_hand_from_the_raw_data():
    """As in JupyterLab: default parameters, no snapshot, the data folder read and validated."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(paths.DIAGNOSIS_NOTEBOOK, as_version=4)
    NotebookClient(
        nb, timeout=600, resources={"metadata": {"path": str(paths.NOTEBOOKS)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert "Pumps &amp; Valves (PV): marketing-strategy diagnosis, 2026Q3" in json.dumps(
        outputs, ensure_ascii=False
    )
