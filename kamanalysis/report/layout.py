"""A report that reads in minutes: its table of contents, its appendix and its print layout.

The body of a BU's report shows no table longer than :data:`BODY_ROWS` rows: a longer one
shows its first rows with a link to the full table in the appendix, at the end of the report
(:class:`Appendix`). A table of contents follows the executive summary
(:func:`contents_markdown`), linking each section by an explicit anchor (:func:`anchor_id`),
and :data:`PRINT_CSS` prints the report on A4 with no chart or table row split across pages.

Examples
--------
>>> import pandas as pd
>>> appendix = Appendix("en")
>>> appendix.add("Largest accounts", pd.DataFrame({"revenue": [1.0, 2.0]}))
'A1'
>>> appendix.add("Largest accounts", pd.DataFrame({"revenue": [3.0]}))  # the same heading
'A1'
>>> appendix.add("Migration", pd.DataFrame({"steps": [1.0]})), len(appendix)
('A2', 2)
>>> link("A2", "en")
'<a href="#kam-A2">Appendix A2</a>'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from IPython.display import Markdown

from ..base.i18n import text

#: The most rows a table shows in the body of a report; the full table goes to the appendix.
BODY_ROWS = 6
#: The most rows an appendix table shows (a table of 20,000 accounts is no reading either).
APPENDIX_ROWS = 300
#: The anchor of the appendix itself, and of the table of contents.
APPENDIX = "appendix"
CONTENTS = "contents"


def anchor_id(key: str) -> str:
    """Return the id of the anchor for ``key`` (a section, ``appendix`` or an entry ``A3``).

    Examples
    --------
    >>> anchor_id("portfolio"), anchor_id("A3")
    ('kam-portfolio', 'kam-A3')
    """
    if not re.fullmatch(r"[A-Za-z0-9_]+", key):
        raise ValueError(f"anchor key: expected letters, digits or _, got {key!r}")
    return f"kam-{key}"


def anchored(markdown: str, key: str) -> str:
    """Give a Markdown heading (its first line) an explicit anchor: an empty ``a`` with an id.

    The id does not depend on the heading's words or language, so the contents' links and
    the appendix's hold in English and in Chinese; the Markdown still starts with its ``#``
    line (the batch names a failing section by it, without the tag).

    Examples
    --------
    >>> anchored("## 1. Data overview", "overview")
    '## 1. Data overview <a id="kam-overview" class="kam-anchor"></a>'
    """
    first, newline, rest = markdown.partition("\n")
    return f'{first} <a id="{anchor_id(key)}" class="kam-anchor"></a>{newline}{rest}'


def number(index: int, lang: str = "en") -> str:
    """Return the label of the appendix's ``index``-th entry (from 1): ``A3``, ``附表3``.

    Examples
    --------
    >>> number(3), number(3, "zh")
    ('A3', '附表3')
    """
    return text("appendix.number", lang, n=index)


def link(key: str, lang: str = "en") -> str:
    """Return an HTML link to the appendix's entry ``key`` (``A3``)."""
    index = int(key[1:])
    return (
        f'<a href="#{anchor_id(key)}">{text("appendix.link", lang, number=number(index, lang))}</a>'
    )


@dataclass
class Entry:
    """One entry of the appendix: a body heading's full tables, under its own heading."""

    key: str
    title: str
    items: list = field(default_factory=list)


class Appendix:
    """The long tables of one report, collected while the body is shown, shown at its end.

    Consecutive tables under the same body heading share one entry (``A3``), so that the
    body's links and the appendix's headings follow the body's order.

    Parameters
    ----------
    lang : str
        The report's language (headings, notes).
    """

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self.entries: list[Entry] = []

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, title: str, item) -> str:
        """Add ``item`` (a table, or what shows it) under ``title``; return its entry's key.

        ``title`` is the Markdown of the heading the table belongs to (the catalogue's).
        """
        if not self.entries or self.entries[-1].title != title:
            self.entries.append(Entry(f"A{len(self.entries) + 1}", title))
        self.entries[-1].items.append(item)
        return self.entries[-1].key

    def parts(self) -> Iterator:
        """Yield the appendix: its heading, the list of its entries, then each entry's tables."""
        lang = self.lang
        heading = f"## {text('appendix.title', lang)}"
        if not self.entries:
            yield Markdown(anchored(heading, APPENDIX) + f"\n\n*{text('report.none', lang)}*")
            return
        listed = "\n".join(
            f'- <a href="#{anchor_id(e.key)}">{self._title(e)}</a>' for e in self.entries
        )
        intro = text("appendix.intro", lang)
        yield Markdown(anchored(heading, APPENDIX) + f"\n\n{intro}\n\n{listed}")
        for entry in self.entries:
            back = f'<a href="#{anchor_id(CONTENTS)}">{text("appendix.back", lang)}</a>'
            yield Markdown(anchored(f"### {self._title(entry)}", entry.key) + f"\n\n{back}")
            yield from entry.items

    def _title(self, entry: Entry) -> str:
        return f"{number(int(entry.key[1:]), self.lang)} {entry.title}"


def contents_markdown(sections: Iterable[tuple[str, str]], lang: str = "en") -> str:
    """Markdown of the table of contents: a linked list of ``(key, title)`` and the appendix.

    The titles are the headings' own Markdown (the catalogue's words, never data).

    Examples
    --------
    >>> print(contents_markdown([("overview", "1. Data overview")], "zh"))
    ### 目录 <a id="kam-contents" class="kam-anchor"></a>
    <BLANKLINE>
    - <a href="#kam-overview">1. Data overview</a>
    - <a href="#kam-appendix">附录</a>
    """
    items = [*sections, (APPENDIX, text("appendix.title", lang))]
    lines = [f'- <a href="#{anchor_id(key)}">{title}</a>' for key, title in items]
    return anchored(f"### {text('contents.title', lang)}", CONTENTS) + "\n\n" + "\n".join(lines)


#: The report's own CSS, after JupyterLab's: tables (text left, numbers right, compact),
#: then print: A4 numbered "3 / 29" at each page's foot, Chinese in the package's CJK font
#: (Noto Sans CJK SC) before any other, no chart, table row or heading left alone at a page's
#: foot, the appendix on a new page. Links stay links in the PDF (Chromium keeps
#: in-document anchors). :mod:`kamanalysis.report.pdf` prints with it.
REPORT_CSS = """\
.jp-RenderedHTMLCommon table caption { caption-side: bottom; text-align: left;
  font-size: 90%; font-style: italic; padding-top: 0.3em; }
@page { size: A4; margin: 10mm 10mm 12mm;
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 9px; color: #555; } }
@media print {
  :root { --jp-content-font-family: system-ui, -apple-system, "Segoe UI", helvetica, arial,
      "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
    --jp-ui-font-family: system-ui, -apple-system, "Segoe UI", helvetica, arial,
      "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
  html { font-size: 12px; }
  body.jp-Notebook, main { padding: 0; margin: 0; }
  .jp-Notebook { --jp-content-font-size1: 12px; --jp-ui-font-size1: 11px; }
  .jp-Cell { padding: 0; }
  .jp-OutputArea-output { margin: 0; }
  .jp-RenderedHTMLCommon { padding-right: 0; font-size: 11px; line-height: 1.35; }
  .jp-RenderedHTMLCommon h1 { font-size: 20px; margin: 0 0 6px; }
  .jp-RenderedHTMLCommon h2 { font-size: 16px; margin: 10px 0 4px; }
  .jp-RenderedHTMLCommon h3 { font-size: 13px; margin: 8px 0 3px; }
  .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon ul { margin-bottom: 4px; }
  .jp-RenderedHTMLCommon h1, .jp-RenderedHTMLCommon h2, .jp-RenderedHTMLCommon h3 {
    break-after: avoid; page-break-after: avoid; }
  .jp-RenderedHTMLCommon table { font-size: 9px; margin-bottom: 4px; }
  .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 1px 4px; line-height: 1.25; }
  .jp-RenderedHTMLCommon tr, .jp-RenderedHTMLCommon thead, .jp-RenderedImage,
  .jp-RenderedHTMLCommon img, .jp-RenderedHTMLCommon caption {
    break-inside: avoid; page-break-inside: avoid; }
  .jp-RenderedHTMLCommon img { max-height: 54mm; width: auto; }
  h2:has(#kam-appendix) { break-before: page; page-break-before: always; }
  a { color: inherit; }
}
"""

#: The template's block holding :data:`REPORT_CSS` (appended to the report's template).
CSS_BLOCK = (
    '{%- block html_head_css -%}\n<style type="text/css">\n'
    + REPORT_CSS
    + "</style>\n{%- endblock html_head_css -%}\n"
)
