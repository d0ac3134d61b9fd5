"""Workbook cells that read as blank but are not: formulas never computed, merged cells.

openpyxl reads a workbook's values (``data_only``) as Excel last computed them. A formula
that no spreadsheet program has computed yet (a workbook written by a script, or saved with
calculation off) has no value and reads as blank; so do all but the first cell of a merged
range, whatever the merge shows. :func:`scan_workbook` finds both in the sheets' XML, without
loading the workbook again: a sheet without any formula or merge costs one byte search.

Examples
--------
>>> import tempfile, pathlib
>>> from openpyxl import Workbook
>>> book = Workbook()
>>> book.active.title = "accounts"
>>> book.active.append(["account_id", "revenue"])
>>> book.active.append(["A1", "=1+1"])
>>> book.active.merge_cells("A3:A4")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "w.xlsx"
>>> book.save(path)
>>> scan_workbook(path)["accounts"]
([(2, 2, '=1+1')], [(3, 1, 4, 1)])
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ..base._validation import describe
from ..base.errors import Problem

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PACKAGE = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")


def scan_workbook(path: Path) -> dict[str, tuple[list, list]]:
    """Per sheet: formulas without a computed value and merged ranges.

    Returns ``{sheet: ([(row, column, formula), ...], [(row1, col1, row2, col2), ...])}``
    (1-based), sheets with neither left out. A workbook whose parts cannot be found returns
    what it could read: openpyxl has already refused a broken file.
    """
    found: dict[str, tuple[list, list]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name, part in _sheet_parts(archive).items():
                try:
                    xml = archive.read(part)
                except KeyError:
                    continue
                formulas = _uncomputed(xml) if _may_hold_formulas(xml) else []
                merged = []
                if b"mergeCell" in xml:
                    merged = [_rows_first(m.decode()) for m in _MERGE.findall(xml)]
                if formulas or merged:
                    found[name] = (formulas, merged)
    except (OSError, zipfile.BadZipFile, ET.ParseError):
        return found
    return found


def _may_hold_formulas(xml: bytes) -> bool:
    """Whether a sheet's XML holds a formula element (plain byte searches first: fast)."""
    marks = (b"</f>", b"<f ", b":f>", b":f ")
    return any(m in xml for m in marks) and _FORMULA.search(xml) is not None


def _rows_first(ref: str) -> tuple[int, int, int, int]:
    """``"A3:B4"`` -> (3, 1, 4, 2): first row, first column, last row, last column."""
    from openpyxl.utils.cell import range_boundaries  # here: openpyxl takes 0.2 s to import

    c1, r1, c2, r2 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return r1, c1, r2, c2


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from the workbook and its relations."""
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PACKAGE}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name")] = posixpath.normpath(part)
    return parts


def _uncomputed(xml: bytes) -> list[tuple[int, int, str]]:
    """Cells holding a formula and no value (a computed empty text has ``t="str"``)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    cells = []
    for _, element in ET.iterparse(io.BytesIO(xml)):
        if element.tag != f"{_MAIN}c":
            continue
        formula = element.find(f"{_MAIN}f")
        if formula is not None:
            value = element.find(f"{_MAIN}v")
            computed = value is not None and (value.text or element.get("t") == "str")
            if not computed and element.get("r"):
                letters, row = coordinate_from_string(element.get("r"))
                cells.append((row, column_index_from_string(letters), "=" + (formula.text or "")))
        element.clear()
    return cells


def hidden_cell_problems(
    file: str, sheet: str, header: list[str], hidden: dict, problems: list[Problem]
) -> set[tuple[int, str]]:
    """Report the formulas without a value and the merged cells under ``header``'s names.

    Returns the (row, column) of the formulas reported, which typing then does not call blank.
    """
    from openpyxl.utils.cell import get_column_letter

    formulas, merged = hidden.get(sheet, ([], []))
    reported = set()
    for row, col, formula in formulas:
        name = header[col - 1] if col <= len(header) else ""
        if name:
            found = f"a formula without a computed value ({describe(formula)})"
            problems.append(
                Problem(
                    file,
                    "a value (open and save the workbook in Excel so that it computes it)",
                    found,
                    row=row,
                    column=name,
                    sheet=sheet,
                )
            )
            reported.add((row, name))
    for r1, c1, r2, c2 in merged:
        names = [header[c - 1] for c in range(c1, min(c2, len(header)) + 1) if header[c - 1]]
        if names:
            cells = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
            problems.append(
                Problem(
                    file,
                    "one value in every cell (unmerge the cells and fill each one)",
                    f"merged cells {cells}: only the first holds the value",
                    row=r1 if r1 == r2 else f"{r1}-{r2}",
                    column=", ".join(names),
                    sheet=sheet,
                )
            )
            reported |= {(r, n) for r in range(r1, r2 + 1) for n in names}
    return reported
