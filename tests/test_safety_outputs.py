"""Issue 23, parts 4 and 5: outputs readable as the umask says, offline pages, no overwrite.

Reports are written with the mode of any new file (0644 with the usual umask), load
nothing from the network when opened, ``kam template`` and ``kam sample`` refuse to
replace an existing target unless ``--force``, and a BU id that would collide with the
output's own names or is too long for a file name is refused at validation.
"""

from __future__ import annotations

import os
import re
import stat

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kamanalysis.base import paths
from kamanalysis.base.errors import InputValidationError
from kamanalysis.cli import main
from kamanalysis.data.workbook import write_folder
from kamanalysis.report import engine, run, run_reports

#: Anything a browser would fetch: a src/href/action, a CSS url() or @import, that is not
#: inside the page (data:) or a link to a place in it or beside it.
FETCHED = re.compile(
    r"""(?:\s(?:src|href|action|poster|data)\s*=\s*["']?\s*|url\(\s*["']?|@import\s+["']?)"""
    r"""((?:https?:)?//[^"')\s>]+)""",
    re.IGNORECASE,
)


def external(page: str) -> list[str]:
    """Return every address outside the page that opening it would request."""
    return FETCHED.findall(page)


def test_external_finds_what_a_browser_would_fetch():
    assert external('<script src="https://cdn.example/x.js"></script>') == [
        "https://cdn.example/x.js"
    ]
    assert external("<style>@import 'https://fonts.example/a.css';</style>") == [
        "https://fonts.example/a.css"
    ]
    assert external('<img src="data:image/png;base64,AAAA"><a href="PV.html">PV</a>') == []


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002])
def test_a_report_file_gets_the_mode_the_umask_gives(tmp_path, mask):
    staging = tmp_path / "staging"
    staging.mkdir()
    old = os.umask(mask)
    try:
        run._write(tmp_path / "PV.html", "report", staging)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "PV.html").stat().st_mode) == 0o666 & ~mask


def test_the_report_template_needs_no_network():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# A heading with $x^2$ math"),
            new_code_cell(
                "1",
                outputs=[
                    new_output("display_data", data={"text/markdown": "**bold** $y$"}),
                    new_output("display_data", data={"text/html": "<b>html</b>"}),
                ],
            ),
        ]
    )
    page, _ = engine._exporter().from_notebook_node(nb, resources={"metadata": {"name": "t"}})
    assert external(page) == []
    assert "<script src=" not in page and "mathjax" not in page.lower()


@pytest.mark.slow
def test_a_report_and_its_index_need_no_network_and_are_readable_by_the_group(tmp_path):
    old = os.umask(0o022)
    try:
        result = run_reports(paths.SAMPLE_DATA, tmp_path, bus=["PV"], jobs=1, progress=False)
    finally:
        os.umask(old)
    pages = [result.reports["PV"], result.index, result.out / "index.html"]
    for page in pages:
        assert external(page.read_text(encoding="utf-8")) == [], page
    written = [p for p in result.folder.iterdir()] + [result.out / "index.html"]
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {
        p.name: 0o644 for p in written
    }


# ----------------------------------------------------------------------------- part 5


def test_template_refuses_an_existing_workbook_unless_forced(tmp_path, capsys):
    book = tmp_path / "client.xlsx"
    book.write_bytes(b"the client's filled-in workbook")
    assert main(["template", str(book)]) == 1
    err = capsys.readouterr().err
    assert "exists" in err and "--force" in err and "Traceback" not in err
    assert book.read_bytes() == b"the client's filled-in workbook"
    assert main(["template", str(book), "--force"]) == 0
    assert book.read_bytes() != b"the client's filled-in workbook"


@pytest.mark.parametrize("name", ["engagement", "engagement.xlsx"])
def test_sample_refuses_an_existing_engagement_unless_forced(tmp_path, capsys, name):
    target = tmp_path / name
    if name.endswith(".xlsx"):
        target.write_bytes(b"real data")
    else:
        target.mkdir()
        (target / "accounts.csv").write_text("real data")
    argv = ["sample", str(target), "--bus", "1", "--accounts", "10"]
    assert main(argv) == 1
    assert "--force" in capsys.readouterr().err
    kept = target if target.is_file() else target / "accounts.csv"
    assert kept.read_bytes() == b"real data"
    assert main([*argv, "--force"]) == 0
    assert main(["validate", str(target)]) == 0
    (tmp_path / "empty").mkdir()  # an empty folder is a new target
    assert main(["sample", str(tmp_path / "empty"), "--bus", "1", "--accounts", "10"]) == 0


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("index", "not a name the reports folder uses itself"),
        ("Summary", "not a name the reports folder uses itself"),
        ("group", "not a name the reports folder uses itself"),
        ("NUL", "nor a device name"),
        ("B" * 250, "an id of at most 120 bytes"),
        ("华" * 41, "an id of at most 120 bytes"),
    ],
)
def test_a_bu_id_colliding_with_an_output_name_or_too_long_is_refused_at_validation(
    recent, tmp_path, capsys, bad, expected
):
    """On the sample cut to its last two quarters (conftest ``recent``, loaded once): a BU id
    is checked the same whatever the number of rows, and the cut validates faster."""
    tables = {name: frame.copy() for name, frame in recent.tables.items()}
    for frame in tables.values():
        frame["bu_id"] = frame["bu_id"].replace("MC", bad)
    folder = write_folder(recent.settings, tables, tmp_path / "data")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "row 4, column bu_id: expected an id" in out and expected in out
    with pytest.raises(InputValidationError, match=expected):
        run_reports(folder, tmp_path / "out", bus=["PV"], progress=False)
    assert not (tmp_path / "out").exists()  # refused before anything was written
