"""Issue 23, part 3: a text from the data shows as text everywhere, never as markup.

The same hostile strings go into every text column and every text setting; the BU
report, the quarter index, the account plan and the alt texts must show them as text (no
script, link, image, heading or math made of them) and the report must still render. A
terminal escape in the data cannot reach ``kam validate``'s output either.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from kamanalysis.base.markup import plain, safe
from kamanalysis.base.schema import TABLES
from kamanalysis.cli import main
from kamanalysis.data.engagement import load_engagement
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import write_folder
from kamanalysis.report import plans, run_reports

#: What an attacker, or a careless paste, puts in a name.
HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "Acme [Pay](javascript:alert(3))",
    "![p](https://evil.example/px.png)",
    "https://evil.example/bare",
    "x\n# Owned heading",
    "$\\cmd$ and $$x$$",
    "*em* _em_ `code` ~~del~~ a|b",
    "\x1b[2K\x1b[31mALL CHECKS PASSED\x1b[0m",
    '" onmouseover="alert(4)',
)
#: One value holding them all, as it goes in a cell.
ALL = " ".join(HOSTILE)


class Page(HTMLParser):
    """What a browser would make of a page: its elements, attributes and text."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.headings: list[str] = []
        self._heading = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")

    def handle_endtag(self, tag):
        self._heading = False

    def handle_data(self, data):
        self.text.append(data)
        if self._heading:
            self.headings.append(data)

    def attributes(self) -> list[str]:
        return [f"{k}={v}" for _, attrs in self.tags for k, v in attrs.items() if v]


def assert_inert(page: str, *, shown: bool = True) -> None:
    """No markup made of the hostile strings in ``page``; with ``shown``, they show as text."""
    seen = Page(page)
    assert "\x1b" not in page
    assert not [t for t, _ in seen.tags if t in ("script", "iframe", "object", "embed")]
    assert not [a for a in seen.attributes() if a.split("=", 1)[0].startswith("on")]
    for _, attrs in seen.tags:
        assert not str(attrs.get("href", "")).startswith("javascript"), attrs
        for link in ("href", "src"):
            assert not str(attrs.get(link, "")).startswith(("http:", "https:", "//")), attrs
    assert not [h for h in seen.headings if h.strip().startswith("Owned")]  # no heading of its own
    if shown:
        text = " ".join(seen.text) + " ".join(seen.attributes())
        for shows in ("<script>alert(1)</script>", "[Pay](javascript:alert(3))", "$\\cmd$"):
            assert shows in text, shows
        assert "# Owned heading" in text


# ----------------------------------------------------------------------------- the rule


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_rule_makes_every_hostile_string_text_in_markdown_and_html(hostile):
    for context in (f"- {safe(hostile)}", f"# {safe(hostile)}", f"| a | {safe(hostile)} |"):
        rendered = markdown2html_mistune(context)
        seen = Page(rendered)
        made = [
            t
            for t, attrs in seen.tags
            if t not in ("ul", "li", "h1", "p")
            and not (t == "a" and attrs.get("href", "").startswith("#"))  # a heading's anchor
        ]
        assert made == [], rendered
        assert plain(hostile) in "".join(seen.text).replace("\n", " ")
    attribute = Page(f'<img alt="{safe(hostile)}">').tags[0][1]
    assert attribute == {"alt": plain(hostile)}


def test_terminal_escapes_in_the_data_reach_validate_as_symbols(tmp_path, capsys):
    settings, tables = generate(n_bus=1, n_accounts=10, seed=3)
    tables["accounts"].loc[0, "bu_id"] = "\x1b[2K\x1b[1GALL CHECKS PASSED"  # an unknown BU
    folder = write_folder(settings, tables, tmp_path / "data")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\\x1b[2K\\x1b[1GALL CHECKS PASSED" in out


# ----------------------------------------------------------------------------- every output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A small engagement with the hostile strings in every text column and setting."""
    settings, tables = generate(n_bus=2, n_accounts=30, seed=7)
    for key in ("name", "client", "currency"):
        settings["engagement"][key] = f"{settings['engagement'][key]} {ALL}"
    for name, frame in tables.items():
        for column in TABLES[name].columns:
            if column.kind == "text" and column.name in frame.columns:
                frame[column.name] = [
                    f"{v} {ALL}" if isinstance(v, str) and v else v for v in frame[column.name]
                ]
    return write_folder(settings, tables, tmp_path_factory.mktemp("hostile") / "data")


def test_the_hostile_engagement_is_valid_data(hostile):
    eng = load_engagement(hostile)  # every hostile string is a legal name: nothing refused
    # control characters (the terminal escapes) are read as visible symbols, once, on loading
    assert eng.name.endswith(plain(ALL)) and eng.accounts["name"].str.endswith(plain(ALL)).all()
    assert eng.currency.endswith(plain(ALL)) and "\x1b" not in eng.settings["engagement"]["client"]


def test_the_account_plan_shows_hostile_names_as_text(hostile, no_chart_images):
    eng = load_engagement(hostile)
    account = eng.accounts["account_id"].iloc[0]
    assert_inert(plans.account_plan_html(eng, account))


@pytest.mark.slow
def test_the_report_and_index_show_hostile_texts_as_text_and_still_render(hostile, tmp_path):
    result = run_reports(hostile, tmp_path / "out", bus=["PV"], jobs=1, progress=False)
    report = result.reports["PV"].read_text(encoding="utf-8")
    assert_inert(report)
    assert (
        "marketing-strategy diagnosis" in report and "<img alt=" in report
    )  # it rendered, charts included
    assert "Traceback" not in report and "missing from font" not in report
    for tag, attrs in Page(report).tags:
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")
    assert_inert(result.index.read_text(encoding="utf-8"))
    assert_inert((result.out / "index.html").read_text(encoding="utf-8"), shown=False)
    # the executed notebook's Markdown, rendered as nbconvert would: inert too
    nb = json.loads((result.folder / "PV.ipynb").read_text(encoding="utf-8"))
    shown = [
        out["data"]["text/markdown"]
        for cell in nb["cells"]
        for out in cell.get("outputs", [])
        if "text/markdown" in out.get("data", {})
    ]
    assert shown
    for markdown in shown:
        assert_inert(markdown2html_mistune("".join(markdown)), shown=False)
