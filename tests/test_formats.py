"""``kam report --formats`` and ``--pptx-template``, the PDF engine and their wiring (issue 21).

Fast: the formats and template checks, the lazy imports, the workers' extra files and the
batch's handling of them with fakes of the deck and the group page (their modules are
written elsewhere: ``tests/test_formats_wiring.py`` runs the real ones). Slow: the PDF of
the shared sample reports (no new batch), and one small batch of one BU writing its PDF.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest

from kamanalysis.base import paths
from kamanalysis.base.errors import InputValidationError, KamAnalysisError, ReportError
from kamanalysis.cli import main
from kamanalysis.report import engine, run
from kamanalysis.report.engine import POSITIONS, SNAPSHOT, Job, Rendered
from kamanalysis.report.formats import (
    FormatsError,
    check_formats,
    deck_cell,
    parse_formats,
    render_extras,
    run_key,
)

# ---------------------------------------------------------------- the formats and the template


@pytest.mark.parametrize(
    ("given", "wanted"),
    [
        ("html", ("html",)),
        ("pdf", ("html", "pdf")),
        ("PDF, pptx", ("html", "pptx", "pdf")),
        ("pdf,pptx,html", ("html", "pptx", "pdf")),
        (("pptx",), ("html", "pptx")),
        (None, ("html",)),
    ],
)
def test_formats_any_subset_in_any_order(given, wanted):
    assert parse_formats(given) == wanted


@pytest.mark.parametrize(
    ("given", "found"),
    [
        ("docx", '"docx"'),
        ("html,,pdf", "an empty item"),
        ("pdf,pdf", '"pdf" twice'),
        ("", "an empty item"),
    ],
)
def test_a_wrong_format_says_what_was_given_and_what_is_accepted(given, found):
    wanted, problems = check_formats(given)
    assert wanted == ("html",)  # the HTML is still written
    assert [p.file for p in problems] == ["--formats"]
    assert found in problems[0].found
    with pytest.raises(InputValidationError) as caught:
        parse_formats(given)
    assert isinstance(caught.value, KamAnalysisError)
    assert "--formats" in str(caught.value) and found in str(caught.value)
    if given == "docx":
        assert "html, pptx, pdf" in problems[0].expected


def _fake_deck(monkeypatch, calls, fail=None):
    """Put a fake ``kamanalysis.report.deck`` in place: records its calls, fails on demand."""
    module = types.ModuleType("kamanalysis.report.deck")

    def check_template(path):
        calls.append(("check_template", Path(path)))
        if Path(path).read_bytes()[:2] != b"PK":
            raise ReportError(f"{path}: expected a PowerPoint file, got no zip archive")

    def write_deck(eng, bu_id, path, *, lang="en", template=None, positions="", **extra):
        calls.append(("write_deck", bu_id, Path(path).name, lang, template, positions, extra))
        if fail == bu_id:
            raise RuntimeError("the deck's chart failed")
        Path(path).write_bytes(b"PK fake deck of " + bu_id.encode())
        return Path(path)

    module.check_template, module.write_deck = check_template, write_deck
    monkeypatch.setitem(sys.modules, "kamanalysis.report.deck", module)


def test_the_template_is_checked_by_the_deck_and_needs_pptx(tmp_path, monkeypatch):
    calls = []
    _fake_deck(monkeypatch, calls)
    good, bad = tmp_path / "firm.pptx", tmp_path / "notes.pptx"
    good.write_bytes(b"PK\x03\x04 a zip")
    bad.write_bytes(b"plain text")
    assert check_formats("pptx", good) == (("html", "pptx"), [])
    assert calls == [("check_template", good)]
    wanted, problems = check_formats("html,pptx", bad)
    assert wanted == ("html",) and problems[0].file == "--pptx-template"
    assert "no zip archive" in problems[0].found and ".pptx" in problems[0].expected
    wanted, problems = check_formats("pptx", tmp_path / "missing.pptx")
    assert "no such file" in problems[0].found
    wanted, problems = check_formats("pdf", good)  # a template without a deck to use it
    assert "pptx among --formats" in problems[0].expected


def test_kam_report_without_formats_imports_neither_engine_nor_pptx():
    code = """
import sys
import kamanalysis, kamanalysis.cli
from kamanalysis.report import run, engine
from kamanalysis.report.formats import check_formats
check_formats("html")
kamanalysis.cli.build_parser().parse_args(["report", "data"])
print(sorted(m for m in sys.modules
             if m.split(".")[0] in ("pptx", "weasyprint")
             or m in ("kamanalysis.report.pdf", "kamanalysis.report.deck")))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=paths.ROOT
    )
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------- in the worker


@pytest.fixture
def make_job(sample, tmp_path):
    """``make_job(key, **options)``: PV's job in ``tmp_path``, the session's sample its snapshot."""

    def made(key, **options):
        sample.save_snapshot(tmp_path / SNAPSHOT, key)
        parameters = {"bu_id": "PV", "snapshot": SNAPSHOT, "positions": POSITIONS, "lang": "zh"}
        return Job("PV", "{}", parameters, str(tmp_path), key=key.hex(), **options)

    return made


def test_the_deck_is_written_in_the_kernel_from_what_the_notebook_computed(
    make_job, tmp_path, monkeypatch
):
    """The kernel's cell: its engagement, facts and findings, reused; the snapshot otherwise."""
    calls = []
    _fake_deck(monkeypatch, calls)
    job = make_job(bytes(range(32)), formats=("pptx",), pptx_template="/firm/master.pptx")
    assert deck_cell(make_job(bytes(32), formats=("pdf",))) is None
    code, path = deck_cell(job)
    assert path.parent == tmp_path and path.suffix == ".pptx"
    facts, found = {"bu_id": "PV"}, "the findings"
    kernel = {
        "eng": "the notebook's engagement",
        "bu_id": "PV",
        "lang": "zh",
        "positions": "positions.pkl",
        "snapshot": SNAPSHOT,
        "facts": facts,
        "found": found,
    }
    exec(code, kernel)  # the cell as the kernel runs it
    [(name, bu, file, lang, template, positions, extra)] = calls
    assert (name, bu, file, lang, template, positions) == (
        "write_deck", "PV", path.name, "zh", "/firm/master.pptx", "positions.pkl",
    )  # fmt: skip
    assert extra == {"facts": facts, "found": found}
    assert path.read_bytes() == b"PK fake deck of PV"
    assert not {"_g", "_write_deck"} & set(kernel)  # the kernel's namespace left as it was


def test_a_notebook_of_one_s_own_gets_its_deck_from_the_snapshot(make_job, tmp_path, monkeypatch):
    calls = []
    _fake_deck(monkeypatch, calls)
    key = bytes(range(32))
    job = make_job(key, formats=("pptx",))
    code, _ = deck_cell(job)
    kernel = {"bu_id": "PV", "lang": "", "positions": "", "snapshot": str(tmp_path / SNAPSHOT)}
    with run_key(key.hex()):
        exec(code, kernel)
    [(_, _, _, lang, _, _, extra)] = calls
    assert lang == "en" and extra == {"facts": None, "found": None}  # the engagement's language
    assert kernel["eng"].tables["accounts"].shape[0] > 0


class _Client:
    """An nbclient stand-in: runs the cell's code here, failing as a kernel error would."""

    def __init__(self, fail=False):
        self.fail = fail
        self.nb = types.SimpleNamespace(cells=["the reset"])

    def execute_cell(self, cell, index, store_history=True):
        from nbclient.exceptions import CellExecutionError

        if self.fail:
            raise CellExecutionError("traceback", "RuntimeError", "the deck's chart failed")
        path = re.search(r"bu_id, '([^']+)'", cell.source).group(1)
        Path(path).write_bytes(b"PK deck")


def test_the_kernel_s_deck_is_handed_back_or_its_failure_is_the_bu_s(make_job, tmp_path):
    job = make_job(bytes(32), formats=("pptx", "pdf"))
    assert engine._deck_in_kernel(_Client(), job) == b"PK deck"
    assert engine._deck_in_kernel(_Client(fail=True), job) == (
        "RuntimeError: the deck's chart failed"
    )
    assert list(tmp_path.iterdir()) == [tmp_path / SNAPSHOT]  # no deck file left behind
    assert engine._deck_in_kernel(_Client(), make_job(bytes(32))) is None
    rendered = Rendered("PV", html="<html></html>", notebook="{}", files={"pptx": b"PK deck"})
    assert render_extras(replace(job, formats=("pptx",)), rendered) is rendered


def test_the_pdf_joins_the_kernel_s_deck_and_a_failing_pdf_is_the_bu_s_failure(
    make_job, tmp_path, monkeypatch
):
    from kamanalysis.report import pdf

    def write_pdf(page, path, *, lang="en"):
        if "broken" in Path(page).read_text(encoding="utf-8"):
            raise RuntimeError("the printer failed")
        Path(path).write_bytes(b"%PDF- of " + lang.encode())
        return Path(path)

    monkeypatch.setattr(pdf, "write_pdf", write_pdf)
    job = make_job(bytes(32), formats=("pptx", "pdf"))
    rendered = Rendered("PV", html="<html></html>", notebook="{}", files={"pptx": b"PK deck"})
    done = render_extras(job, rendered)
    assert done.files == {"pptx": b"PK deck", "pdf": b"%PDF- of zh"}
    done = render_extras(job, replace(rendered, html="<html>broken</html>"))
    assert done.html is None and done.notebook is None  # nothing of it is written
    assert done.message == "in the PDF: RuntimeError: the printer failed"
    assert list(tmp_path.iterdir()) == [tmp_path / SNAPSHOT]  # its scratch files are gone


# ---------------------------------------------------------------- in the batch, with fakes


class _Pool:
    def shutdown(self, **_):
        pass


def _fake_batch(monkeypatch, jobs_seen, fail=()):
    """Replace the workers: each BU 'renders' at once, its PDF and deck as fake bytes."""

    def run_locally(pool, jobs, running=None):
        for job in jobs:
            jobs_seen.append(job)
            if job.bu_id in fail:
                yield Rendered(
                    job.bu_id, error="RuntimeError: boom", place="in the PowerPoint deck"
                )
                continue
            files = {f: f"{f} of {job.bu_id}".encode() for f in job.formats}
            page = f"<html><body>{job.bu_id}</body></html>"
            yield Rendered(job.bu_id, html=page, notebook="{}", facts={}, files=files)

    monkeypatch.setattr(run, "_pool", lambda workers, cwd: _Pool())
    monkeypatch.setattr(run, "_run_locally", run_locally)


def _fake_group(monkeypatch, calls, fail=False):
    module = types.ModuleType("kamanalysis.report.group_page")

    def write_group_page(eng, out_dir, *, lang="en", positions="", pptx=False, template=None):
        calls.append((Path(out_dir), lang, positions, pptx, template))
        assert Path(positions).is_file(), "the run's positions are there to read"
        if fail:
            raise ValueError("no grid")
        pages = [Path(out_dir) / "group.html"]
        pages[0].write_text("<html><body>group</body></html>", encoding="utf-8")
        if pptx:
            pages.append(Path(out_dir) / "group.pptx")
            pages[1].write_bytes(b"PK group deck")
        return pages

    module.write_group_page = write_group_page
    monkeypatch.setitem(sys.modules, "kamanalysis.report.group_page", module)


def test_the_batch_writes_each_bu_s_files_and_the_group_page(
    tmp_path, monkeypatch, no_chart_images
):
    jobs, deck_calls, group_calls = [], [], []
    _fake_batch(monkeypatch, jobs)
    _fake_deck(monkeypatch, deck_calls)
    _fake_group(monkeypatch, group_calls)
    template = tmp_path / "firm.pptx"
    template.write_bytes(b"PK\x03\x04")
    result = run.run_reports(
        paths.SAMPLE_DATA, tmp_path / "out", formats="html,pptx", pptx_template=template,
        lang="zh", progress=False,
    )  # fmt: skip
    assert [j.formats for j in jobs] == [("pptx",)] * 3
    assert {j.pptx_template for j in jobs} == {str(template.resolve())}
    folder = result.folder
    assert (folder / "IC.pptx").read_bytes() == b"pptx of IC"
    assert result.files["IC"] == [folder / "IC.pptx"]
    [(scratch, lang, positions, pptx, used)] = group_calls
    assert (lang, pptx, used) == ("zh", True, template)
    assert Path(positions).name == POSITIONS and scratch != folder  # staged, then moved
    assert result.group == [folder / "group.html", folder / "group.pptx"]
    assert (folder / "group.pptx").read_bytes() == b"PK group deck"
    assert oct((folder / "group.html").stat().st_mode & 0o777) == oct(paths.new_file_mode())
    index = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)"', index)
    assert links[:2] == ["../../index.html", "group.html"]  # the group page first
    assert not list(folder.parent.glob(".kam-staging-*"))


def test_a_bu_whose_deck_fails_is_reported_and_keeps_its_previous_files(
    tmp_path, monkeypatch, capsys, no_chart_images
):
    jobs = []
    _fake_batch(monkeypatch, jobs, fail=("IC",))
    _fake_group(monkeypatch, [])
    code = main(
        ["report", str(paths.SAMPLE_DATA), "--out", str(tmp_path), "--formats", "pdf", "--quiet"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "BU IC failed in the PowerPoint deck: RuntimeError: boom" in err
    folder = next(tmp_path.glob("*/2026Q3"))
    assert (folder / "PV.pdf").read_bytes() == b"pdf of PV"
    assert not list(folder.glob("IC.*"))


def test_a_failing_group_page_fails_the_run_but_not_the_reports(
    tmp_path, monkeypatch, no_chart_images
):
    _fake_batch(monkeypatch, [])
    _fake_group(monkeypatch, [], fail=True)
    with pytest.raises(ReportError, match="the group page failed: ValueError: no grid") as caught:
        run.run_reports(paths.SAMPLE_DATA, tmp_path, progress=False)
    assert set(caught.value.result.reports) == {"PV", "IC", "MC"}
    assert '"group.html"' not in (caught.value.result.index).read_text(encoding="utf-8")


def test_formats_docx_writes_the_html_then_exits_1(tmp_path, monkeypatch, capsys, no_chart_images):
    jobs = []
    _fake_batch(monkeypatch, jobs)
    _fake_group(monkeypatch, [])
    code = main(["report", str(paths.SAMPLE_DATA), "--out", str(tmp_path), "--formats", "docx"])
    out, err = capsys.readouterr()
    assert code == 1
    assert {j.formats for j in jobs} == {()}  # the batch ran, for HTML alone
    folder = next(tmp_path.glob("*/2026Q3"))
    assert sorted(p.name for p in folder.glob("*.html"))[:3] == ["IC.html", "MC.html", "PV.html"]
    assert "(HTML only)" in out
    assert (
        'kam report: 1 problem found:\n  - --formats: expected one of html, pptx, pdf, got "docx"'
        in err
    )
    with pytest.raises(FormatsError) as caught:  # the Python API: where, expected, found
        run.run_reports(paths.SAMPLE_DATA, tmp_path, formats=("html", "docx"), progress=False)
    [problem] = caught.value.problems
    assert (problem.file, problem.found) == ("--formats", '"docx"')
    assert caught.value.results["2026Q3"].reports["PV"].is_file()


def test_an_unreadable_template_writes_the_html_then_exits_1(
    tmp_path, monkeypatch, capsys, no_chart_images
):
    _fake_batch(monkeypatch, [])
    _fake_group(monkeypatch, [])
    args = ["--formats", "html,pptx", "--pptx-template", str(tmp_path / "gone.pptx")]
    code = main(["report", str(paths.SAMPLE_DATA), "--out", str(tmp_path), *args])
    err = capsys.readouterr().err
    assert code == 1 and "--pptx-template: expected a readable PowerPoint file" in err
    assert (next(tmp_path.glob("*/2026Q3")) / "PV.html").is_file()


# ---------------------------------------------------------------- the PDF (slow)


def _pdf_text(pdf: Path, *pages: str) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture(scope="module")
def pdfs(sample_reports, tmp_path_factory):
    """The shared sample's PV report printed in English and Chinese (no batch of its own)."""
    from kamanalysis.report.pdf import write_pdf

    out = tmp_path_factory.mktemp("pdf")
    return {
        lang: write_pdf(result.reports["PV"], out / f"PV-{lang}.pdf", lang=lang)
        for lang, result in sample_reports.items()
    }


def test_the_pdf_starts_with_the_executive_summary_and_numbers_its_pages(pdfs):
    first = _pdf_text(pdfs["en"], "-l", "1")
    assert "Pumps & Valves" in first
    assert first.index("Executive summary") < first.index("Recommended actions")
    pages = int(re.search(r"Pages:\s+(\d+)", _info(pdfs["en"])).group(1))
    assert pages > 5
    assert re.search(rf"\b1 / {pages}\s*$", first.rstrip()), "page 1's number at its foot"
    assert re.search(rf"\b{pages} / {pages}\s*$", _pdf_text(pdfs["en"], "-f", str(pages)).rstrip())
    assert "Contents" in _pdf_text(pdfs["en"], "-l", "2")


def _info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_the_chinese_pdf_is_chinese_with_its_fonts_embedded(pdfs):
    first = _pdf_text(pdfs["zh"], "-l", "2")
    assert first.index("执行摘要") < first.index("建议行动") < first.index("目录")
    fonts = subprocess.run(
        ["pdffonts", str(pdfs["zh"])], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), "every font embedded"


def test_no_chart_is_split_across_pages(pdfs):
    for pdf in pdfs.values():
        listed = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        pages_of: dict[str, set[str]] = {}
        for line in listed:  # page num type width height color comp bpc enc interp object ...
            fields = line.split()
            pages_of.setdefault(fields[10], set()).add(fields[0])
        assert len(pages_of) >= 5, "the charts are in the PDF"
        split = {obj: pages for obj, pages in pages_of.items() if len(pages) > 1}
        assert not split, f"an image drawn on two pages: {split}"


@pytest.mark.slow
def test_one_bu_in_every_format(tmp_path, capsys):
    """The one small batch of these tests: IC alone, in every format, through the command line.

    The deck is written in the BU's kernel (the real :mod:`kamanalysis.report.deck`), the PDF
    in the worker.
    """
    from pptx import Presentation

    code = main(["report", str(paths.SAMPLE_DATA), "--out", str(tmp_path), "--bu", "IC",
                 "--formats", "html,pptx,pdf", "--quiet"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    folder = next(tmp_path.glob("*/2026Q3"))
    pdf = folder / "IC.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert "Executive summary" in _pdf_text(pdf, "-l", "1")
    assert json.loads((folder / "IC.json").read_text(encoding="utf-8"))
    slides = Presentation(str(folder / "IC.pptx")).slides
    assert "IC" in slides[0].shapes.title.text and len(slides) > 5
    assert not list(folder.parent.rglob("deck-*.pptx"))  # the kernel's file handed back, gone
    assert not list(folder.glob("*.part")) and not list(folder.parent.glob(".kam-staging-*"))


def test_write_pdf_names_what_is_missing(tmp_path, monkeypatch):
    from kamanalysis.report import pdf

    with pytest.raises(ReportError, match="expected an HTML page to print"):
        pdf.write_pdf(tmp_path / "none.html", tmp_path / "none.pdf")
    (tmp_path / "page.html").write_text("<p>x</p>", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("KAM_CHROMIUM", raising=False)
    with pytest.raises(ReportError, match="make install"):
        pdf.write_pdf(tmp_path / "page.html", tmp_path / "page.pdf")
    assert not (tmp_path / "page.pdf").exists()
