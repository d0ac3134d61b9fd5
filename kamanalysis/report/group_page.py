"""The group page: every BU on one page for the group CEO, in HTML and as slides (issue 21).

:func:`write_group_page` writes ``group.html`` (self-contained: the grids embedded, the
report's print CSS) and, with ``pptx=True``, ``group.pptx`` (two slides: native, editable
tables; the grids as a picture; a firm's ``template`` master if given) from
:func:`kamanalysis.diagnosis.group.group_view`. The page opens with what to do in each BU
(its reconciled stance, the organisation move, the capacity), then where each stands, the
IE and GE grids, the group's ten accounts most at risk, resources and organisation.
Every header names its window and unit; in Chinese, money in 万元 or 亿元.

``write_group_page(eng, folder, lang="zh", pptx=True)`` returns the two paths written
(tests/test_group_page.py). A table as the page writes it:

Examples
--------
>>> GroupTable(["account", "health"], [["A & B", "55"]], [False, True]).html()
'<table><thead><tr><th>account</th><th class="num">health</th></tr></thead><tbody><tr><td>\
A &amp; B</td><td class="num">55</td></tr></tbody></table>'
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from ..base.i18n import YI, label, money_unit, text
from ..base.markup import safe
from ..core.fonts import use_cjk_font
from ..diagnosis.group import IDLE_LOAD, GroupView, group_view
from ..diagnosis.summary import HEALTH_AT_RISK
from ..tools.position import plot_ge_matrix, plot_ie_matrix
from .display import image_tag
from .layout import REPORT_CSS

__all__ = ["GROUP_FILE", "GroupTable", "group_tables", "write_group_page"]

#: The page's file name in the quarter's folder (the slides: ``group.pptx``).
GROUP_FILE = "group.html"
#: The CJK font the slides name for Chinese text (the charts use the packaged one).
SLIDE_FONT_ZH = "Noto Sans CJK SC"

_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei",
  "Microsoft YaHei", "PingFang SC", "DejaVu Sans", sans-serif; margin: 1.5em 2em;
  color: #222; max-width: 1280px; font-size: 14px; line-height: 1.4; }}
h1 {{ font-size: 22px; margin: 0 0 4px; }}
h2 {{ font-size: 17px; margin: 18px 0 6px; border-bottom: 2px solid #1F4E79; }}
p.intro {{ color: #555; font-size: 12px; margin: 0 0 8px; }}
p.note {{ color: #555; font-size: 12px; font-style: italic; }}
table {{ border-collapse: collapse; font-size: 13px; margin-bottom: 6px; }}
table {{ width: 100%; }}
th {{ background: #eef2f7; font-weight: 600; vertical-align: bottom; font-size: 12px; }}
td:first-child {{ min-width: 8em; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 3px 8px; text-align: left; }}
td.num, th.num {{ text-align: right; }}
td.num {{ white-space: nowrap; }}
ul.moves {{ list-style: none; padding: 0; margin: 0; }}
ul.moves li {{ margin: 0 0 6px; padding: 4px 8px; border-left: 6px solid #9E9E9E; }}
ul.moves li.grow {{ border-color: #2E7D32; }} ul.moves li.hold {{ border-color: #EF6C00; }}
ul.moves li.harvest {{ border-color: #C62828; }}
.stance {{ font-weight: 700; padding: 0 6px; border-radius: 3px; color: white;
  background: #9E9E9E; white-space: nowrap; }}
.stance.grow {{ background: #2E7D32; }} .stance.hold {{ background: #EF6C00; }}
.stance.harvest {{ background: #C62828; }}
{report_css}</style></head>
<body class="jp-RenderedHTMLCommon">
{body}
</body></html>
"""


@dataclass(frozen=True)
class GroupTable:
    """One table as the reader sees it: headers, rows of text, which columns are numbers."""

    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]

    def html(self) -> str:
        """Return the table as HTML (text escaped; numbers right-aligned)."""

        def cls(i: int) -> str:
            return ' class="num"' if self.numeric[i] else ""

        head = "".join(f"<th{cls(i)}>{safe(h)}</th>" for i, h in enumerate(self.headers))
        body = "".join(
            "<tr>" + "".join(f"<td{cls(i)}>{safe(v)}</td>" for i, v in enumerate(row)) + "</tr>"
            for row in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _number(value, spec: str) -> str:
    """Format a number, or "–" where it is missing."""
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "–"
    return format(float(value), spec)


def _stance(stance: str, lang: str) -> str:
    return text(f"group.stance.{stance}", lang) if stance else text("group.not_positioned", lang)


def _organisation(form: str, lang: str) -> str:
    return text("group.org_none", lang) if form in ("", "none") else label(form, lang)


def _money(view: GroupView, amounts: pd.Series) -> tuple[float, str, str]:
    """Return the divisor, the format and the unit the page writes ``amounts`` in."""
    if view.lang != "zh":
        return 1.0, "{:,.0f}", view.currency
    largest = pd.to_numeric(amounts, errors="coerce").abs().max()
    divisor, unit = money_unit(largest if largest == largest else 0.0, view.currency)
    return float(divisor), ("{:,.2f}" if divisor == YI else "{:,.1f}"), unit


def _money_cell(value, divisor: float, spec: str) -> str:
    return "–" if value != value else spec.format(float(value) / divisor)


def group_tables(view: GroupView) -> dict[str, GroupTable]:
    """Return the page's tables as the reader sees them: ``bus``, ``at_risk``, ``capacity``.

    ``capacity`` joins each BU's resources and organisation move (one row per BU).
    """
    lang, q, ago = view.lang, view.quarter, view.year_ago
    bus = view.bus
    colon = "：" if lang == "zh" else ": "
    divisor, spec, unit = _money(view, bus["revenue"])
    tables = {
        "bus": GroupTable(
            [
                text("group.col.bu", lang),
                text("group.col.stance", lang),
                text("group.col.revenue", lang, quarter=q, unit=unit),
                text("group.col.revenue_yoy", lang, year_ago=ago),
                text("group.col.margin", lang, quarter=q),
                text("group.col.index", lang, quarter=q),
                text("group.col.n_key", lang, quarter=q),
                text("group.col.key_health", lang, quarter=q),
                text("group.col.n_key_at_risk", lang, cut=HEALTH_AT_RISK),
                text("group.col.ie", lang),
                text("group.col.ge", lang),
            ],
            [
                [
                    f"{r.bu} ({bu})",
                    _stance(r.stance, lang),
                    _money_cell(r.revenue, divisor, spec),
                    _number(r.revenue_yoy, "+.1%"),
                    _number(r.gross_margin_pct, ".1f"),
                    _number(r.index_to_leader, ".0f"),
                    _number(r.n_key, ".0f"),
                    _number(r.key_health, ".0f"),
                    _number(r.n_key_at_risk, ".0f"),
                    f"{r.ie_cell}{colon}{label(r.ie_strategy, lang)}" if r.stance else "–",
                    f"{r.ge_cell}{colon}{label(r.ge_strategy, lang)}" if r.stance else "–",
                ]
                for bu, r in zip(bus.index, bus.itertuples(), strict=True)
            ],
            [False, False] + [True] * 7 + [False] * 2,
        )
    }
    risk = view.at_risk
    divisor, spec, unit = _money(view, risk["revenue"])
    tables["at_risk"] = GroupTable(
        [
            text("group.col.account", lang),
            text("group.col.bu", lang),
            text("group.col.tier", lang),
            text("group.col.at_stake", lang, quarter=q, unit=unit),
            text("group.col.health", lang, quarter=q),
            text("group.col.signals", lang),
            text("group.col.action", lang),
        ],
        [
            [
                f"{r.account} ({account})",
                r.bu,
                label(r.tier, lang),
                _money_cell(r.revenue, divisor, spec),
                _number(r.health, ".0f"),
                r.health_signals,
                r.action or "–",
            ]
            for account, r in zip(risk.index, risk.itertuples(), strict=True)
        ],
        [False, False, False, True, True, False, False],
    )
    res, org = view.resources, view.organisation
    rows = []
    for bu in res.index:
        r, o = res.loc[bu], org.loc[bu]
        assessed = bool(r["status"])
        rows.append(
            [
                f"{r['bu']} ({bu})",
                _stance(r["stance"], lang),
                _number(r.get("managers"), ".0f") if assessed else "–",
                f"{r['n_key']:.0f} / {r['key_capacity']:.0f}" if assessed else "–",
                f"{r['accounts']:.0f} / {r['account_capacity']:.0f}" if assessed else "–",
                _number(r.get("load"), ".0%") if assessed else "–",
                text(f"group.status.{r['status']}", lang)
                if assessed
                else text("group.not_assessed", lang),
                r["action"] or "–",
                _organisation(o["current"], lang),
                _organisation(o["form"], lang),
                o["move"] or "–",
            ]
        )
    tables["capacity"] = GroupTable(
        [
            text("group.col.bu", lang),
            text("group.col.stance", lang),
            text("group.col.managers", lang),
            text("group.col.key_load", lang),
            text("group.col.accounts_load", lang),
            text("group.col.load", lang),
            text("group.col.status", lang),
            text("group.col.action", lang),
            text("group.col.current", lang),
            text("group.col.form", lang),
            text("group.col.move", lang),
        ],
        rows,
        [False, False, True, True, True, True, False, False, False, False, False],
    )
    return tables


def _grid_figure(view: GroupView):
    """Return a figure of every positioned BU on the IE and the GE grid, named with its stance."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    positions = view.positions
    with matplotlib.rc_context({"text.parse_math": False}):
        use_cjk_font()
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.2))
        top = 12 if len(positions) > 12 else None
        plot_ie_matrix(positions, ax=left, lang=view.lang, top=top)
        plot_ge_matrix(positions, ax=right, lang=view.lang, top=top)
        fig.tight_layout()
    return fig


def _moves(view: GroupView) -> str:
    """Return the first screen: one line per BU with its stance, capacity and organisation."""
    lang, items = view.lang, []
    for bu, row in view.bus.iterrows():
        stance = row["stance"] or ""
        badge = f'<span class="stance {safe(stance)}">{safe(_stance(stance, lang))}</span>'
        colon = "：" if lang == "zh" else ": "
        parts = [f"<b>{safe(row['bu'])} ({safe(bu)})</b>{colon}{badge} {safe(row['reason_text'])}"]
        for key, frame, column in (
            ("organisation", view.organisation, "move"),
            ("capacity", view.resources, "action"),
        ):
            if bu in frame.index and frame.loc[bu, column]:
                name = safe(text(f"group.label.{key}", lang))
                parts.append(f"<i>{name}</i>{colon}{safe(frame.loc[bu, column])}")
        items.append(f'<li class="{safe(stance)}">{"<br>".join(parts)}</li>')
    return f'<ul class="moves">{"".join(items)}</ul>'


def _grid_stances(view: GroupView) -> str:
    """Return the line under the grids: each BU's id and its stance."""
    items = [
        f'{safe(bu)} <span class="stance {safe(s)}">{safe(_stance(s, view.lang))}</span>'
        for bu, s in view.bus["stance"].items()
    ]
    return safe(text("group.grid_stances", view.lang)) + " " + " · ".join(items)


def _page(eng, view: GroupView, grids: str) -> str:
    lang, tables = view.lang, group_tables(view)
    links = ("、" if lang == "zh" else ", ").join(
        f'<a href="{safe(quote(f"{bu}.html"))}">{safe(name)}</a>'
        for bu, name in view.bus["bu"].items()
    )
    currency = _money(view, view.bus["revenue"])[2] if lang == "zh" else view.currency
    intro = text(
        "group.intro",
        lang,
        client=safe(eng.settings["engagement"]["client"]),
        quarter=view.quarter,
        year_ago=view.year_ago,
        currency=safe(currency),
        links=links,
    )
    title = text("group.title", lang, engagement=eng.name, quarter=view.quarter)
    span = view.resources.attrs.get("span") or {}  # none: no account assessed, no managers
    capacity_note = (
        text(
            "group.resources_note",
            lang,
            span_key=span["key_accounts"],
            span_accounts=span["accounts"],
            idle=IDLE_LOAD,
        )
        if span
        else text("report.not_assessed", lang)
    )
    cut = HEALTH_AT_RISK
    at_risk = (
        tables["at_risk"].html()
        if tables["at_risk"].rows
        else f"<p>{safe(text('group.at_risk_none', lang, cut=cut))}</p>"
    )
    n = len(tables["at_risk"].rows)
    body = f"""<p class="intro"><a href="index.html">{safe(text("group.index_link", lang))}</a></p>
<h1>{safe(title)}</h1>
<p class="intro">{intro}</p>
<h2>{safe(text("group.what", lang))}</h2>
{_moves(view)}
<h2>{safe(text("group.where", lang))}</h2>
{tables["bus"].html()}
<p class="note">{safe(text("group.stance_note", lang))}</p>
<h2>{safe(text("group.grids", lang, quarter=view.quarter))}</h2>
{grids}
<p>{_grid_stances(view)}</p>
<h2>{safe(text("group.at_risk", lang, n=n, cut=cut))}</h2>
{at_risk}
<h2>{safe(text("group.resources", lang))} · {safe(text("group.organisation", lang))}</h2>
{tables["capacity"].html()}
<p class="note">{safe(capacity_note)}</p>"""
    return _PAGE.format(
        lang=text("report.html_lang", lang),
        title=safe(title),
        report_css=REPORT_CSS,
        body=body,
    )


def _replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: never half-written."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def write_group_page(
    eng,
    out_dir,
    *,
    lang: str = "en",
    positions: str | Path = "",
    pptx: bool = False,
    template: str | Path | None = None,
) -> list[Path]:
    """Write ``out_dir/group.html`` (and ``group.pptx`` with ``pptx=True``); return the paths.

    Parameters
    ----------
    eng : Engagement
        As of the quarter diagnosed (its current quarter).
    out_dir : str or Path
        The quarter's folder (created if missing).
    lang : str
        ``en`` or ``zh``.
    positions : str or Path, optional
        The run's precomputed positions (:func:`kamanalysis.diagnosis.save_positions`).
    pptx : bool
        Also write the slides (needs python-pptx).
    template : str or Path, optional
        A ``.pptx`` whose master and layouts the slides use.

    Raises
    ------
    ReportError
        python-pptx is missing, or ``template`` is not a readable .pptx (the message names
        the file); ``group.html`` is then written already.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    view = group_view(eng, lang=lang, positions=positions)
    figure = _grid_figure(view)
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=150, metadata={"Software": None})
    names = ", ".join(view.positions.index.astype(str))
    grids = image_tag(figure, text("group.grids_alt", lang, bus=names))
    page = out / GROUP_FILE
    _replace(page, _page(eng, view, grids).encode("utf-8"))
    written = [page]
    if pptx:
        from .group_page_slides import write_slides

        deck = out / "group.pptx"
        _replace(deck, write_slides(eng, view, group_tables(view), png.getvalue(), template))
        written.append(deck)
    return written
