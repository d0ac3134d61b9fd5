"""One catalogue of the report's words, in English and Chinese.

Every heading, label, finding and action a report shows comes from a data file a
consultant can edit in a spreadsheet: ``kamanalysis/catalogue.csv`` (columns ``key``,
``en``, ``zh``; texts may hold ``{placeholders}``). A test keeps both languages
complete and their placeholders the same.

Examples
--------
>>> text("section.forces", "zh")
'五力模型'
>>> text("report.title", "en", bu_name="Pumps & Valves", bu_id="PV", quarter="2026Q3")
'Pumps & Valves (PV): marketing-strategy diagnosis, 2026Q3'
>>> label("rivalry", "zh"), label("something else", "zh")
('同业竞争', 'something else')
"""

from __future__ import annotations

import csv
import string
from functools import cache
from pathlib import Path

from ._validation import describe
from .errors import InputValidationError, Problem
from .paths import PACKAGE
from .schema import LANGUAGES

CATALOGUE_FILE = PACKAGE / "base" / "catalogue.csv"


@cache
def catalogue(path: str | Path = CATALOGUE_FILE) -> dict[str, dict[str, str]]:
    """Read the catalogue: key -> {language: text}.

    Raises
    ------
    InputValidationError
        A row without a key, a key twice, a language column missing or a text blank,
        each named by file, row and column.
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = rows[0] if rows else []
    problems = [
        Problem(path.name, f"a column named {lang}", "no such column", column=lang)
        for lang in ("key", *LANGUAGES)
        if lang not in header
    ]
    if problems:
        raise InputValidationError(problems)
    at = {name: header.index(name) for name in ("key", *LANGUAGES)}
    entries: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
        key = cells["key"]
        if not key:
            problems.append(Problem(path.name, "a key", "blank", row=number, column="key"))
            continue
        if key in entries:
            problems.append(
                Problem(
                    path.name,
                    "each key once",
                    f"{key} again (first in row {first_row[key]})",
                    row=number,
                    column="key",
                )
            )
            continue
        for lang in LANGUAGES:
            if not cells[lang]:
                problems.append(
                    Problem(path.name, f"a text for {key}", "blank", row=number, column=lang)
                )
        entries[key] = {lang: cells[lang] for lang in LANGUAGES}
        first_row[key] = number
    if problems:
        raise InputValidationError(problems)
    return entries


def _language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InputValidationError(
            [Problem("i18n", "one of " + ", ".join(LANGUAGES), describe(lang), column="lang")]
        )
    return lang


def text(key: str, lang: str = "en", /, **values) -> str:
    """Return the catalogue's text for ``key`` in ``lang``, placeholders filled from ``values``.

    Raises
    ------
    InputValidationError
        An unknown language or key.
    """
    entries = catalogue()
    if key not in entries:
        raise InputValidationError(
            [Problem(CATALOGUE_FILE.name, "a known key", describe(key), column="key")]
        )
    template = entries[key][_language(lang)]
    return fill(template, **values) if values else template


# ----------------------------------------------------------------------------- Chinese money
#: Chinese money units: amounts from one 亿 (10^8) up are written in 亿, smaller ones in 万.
YI, WAN = 100_000_000, 10_000
#: The Chinese word of a currency after 万 / 亿; a currency not listed keeps its code.
CURRENCY_ZH = {
    "CNY": "元",
    "RMB": "元",
    "人民币": "元",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港元",
    "JPY": "日元",
}


def money_unit(amount: float, currency: str = "CNY") -> tuple[int, str]:
    """Return the divisor and the Chinese unit a money amount is written in.

    ``amount`` is in units of ``currency``: from one 亿 up it is written in 亿元, below
    in 万元 (the way a Chinese reader counts money, never 百万).

    Examples
    --------
    >>> money_unit(64_678_909), money_unit(-1.2e9), money_unit(3e8, "USD"), money_unit(5e4, "XYZ")
    ((10000, '万元'), (100000000, '亿元'), (100000000, '亿美元'), (10000, '万 XYZ'))
    """
    word = CURRENCY_ZH.get(str(currency).upper())
    divisor, prefix = (YI, "亿") if abs(amount) >= YI else (WAN, "万")
    return divisor, prefix + word if word else f"{prefix} {currency}"


def zh_money(amount: float, currency: str = "CNY", *, signed: bool = False) -> str:
    """Write a money amount (in units of ``currency``) in Chinese style: 万元 or 亿元.

    亿 with two decimals; 万 with none from 100 万 up, else one.

    Examples
    --------
    >>> zh_money(64_678_909), zh_money(1_234_567_890), zh_money(-3.2e6, signed=True)
    ('6,468 万元', '12.35 亿元', '-320 万元')
    >>> zh_money(50_000), zh_money(99_999_999), zh_money(100_000_000)
    ('5.0 万元', '10,000 万元', '1.00 亿元')
    """
    divisor, unit = money_unit(amount, currency)
    value = amount / divisor
    decimals = 2 if divisor == YI else 0 if abs(value) >= 100 else 1
    return f"{value:{'+' if signed else ''},.{decimals}f} {unit}"


class _Formatter(string.Formatter):
    """``str.format`` plus the money spec ``{x:money}`` (signed: ``{x:+money}``).

    ``x`` is an amount in millions of the ``currency`` placeholder's currency (the facts
    ``*_m``), written by :func:`zh_money`.
    """

    def __init__(self, currency: object) -> None:
        self.currency = str(currency or "CNY")

    def format_field(self, value, format_spec: str):
        if format_spec in ("money", "+money"):
            return zh_money(float(value) * 1e6, self.currency, signed=format_spec[0] == "+")
        return super().format_field(value, format_spec)


def placeholders(template: str) -> set[str]:
    """Return the names a text's ``{placeholders}`` use; a money spec uses ``currency`` too.

    Examples
    --------
    >>> sorted(placeholders("{a:.1f} of {b}, {{not one}}")), sorted(placeholders("{x:+money}"))
    (['a', 'b'], ['currency', 'x'])
    """
    names = set()
    for _, name, spec, _ in string.Formatter().parse(template):
        if name:
            names.add(name)
            if spec in ("money", "+money"):
                names.add("currency")
    return names


def fill(template: str, /, **values) -> str:
    """Fill a catalogue or rules text's placeholders: ``str.format`` plus ``{x:money}``.

    Examples
    --------
    >>> fill("收入 {revenue_m:money}，同比 {change_m:+money}", revenue_m=64.68, change_m=-3.2)
    '收入 6,468 万元，同比 -320 万元'
    >>> fill("{x:.1f} {currency}", x=2, currency="USD")
    '2.0 USD'
    """
    return _Formatter(values.get("currency")).vformat(template, (), values)


def label(value: object, lang: str = "en", *, kind: str | None = None) -> str:
    """Return the display name of an enumerated value, or the value itself.

    ``kind`` names the column the value comes from, for words that mean different
    things in different columns: ``value.<kind>.<v>`` is looked up first, then
    ``value.<v>``.

    Examples
    --------
    >>> label("buyer", kind="frustration"), label("buyer")
    ("buyer's frustration", 'buyer')
    """
    for key in ([f"value.{kind}.{value}"] if kind else []) + [f"value.{value}"]:
        if key in catalogue():
            return text(key, lang)
    return str(value)


def has(key: str) -> bool:
    """Return True when the catalogue has ``key``."""
    return key in catalogue()


def joined(items, lang: str = "en") -> str:
    """Join the words of a list inside a sentence: ``a, b`` in English, ``a、b`` in Chinese.

    Examples
    --------
    >>> joined(["久未接触决策者", "联系人少于三位"], "zh"), joined(["a", "b"])
    ('久未接触决策者、联系人少于三位', 'a, b')
    """
    return ("、" if lang == "zh" else ", ").join(str(item) for item in items)


def bracketed(words: str, lang: str = "en") -> str:
    """Put an aside in brackets: ``(…)`` in English, full-width ``（…）`` in Chinese.

    Examples
    --------
    >>> bracketed("涉及 137 万元", "zh"), bracketed("5.0 million CNY at stake")
    ('（涉及 137 万元）', '(5.0 million CNY at stake)')
    """
    return f"（{words}）" if lang == "zh" else f"({words})"


#: How many items a list in a text names before it says how many more there are.
LISTED = 5


def short_list(items, shown: int = LISTED) -> str:
    """Join the first ``shown`` items with commas and add ``(+N)`` for the rest.

    Examples
    --------
    >>> short_list(["a", "b"]), short_list([f"A{i}" for i in range(1, 1202)], shown=3)
    ('a, b', 'A1, A2, A3 (+1,198)')
    """
    items = [str(item) for item in items]
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" (+{more:,})" if more > 0 else "")
