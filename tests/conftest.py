"""Shared fixtures: the sample engagement, and corrupted copies of it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import kamanalysis as kam
from kamanalysis.base import paths


@pytest.fixture(scope="session")
def sample():
    """The committed sample engagement, loaded once."""
    return kam.load_engagement(paths.SAMPLE_DATA)


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A writable copy of the sample engagement folder."""
    target = tmp_path / "engagement"
    shutil.copytree(paths.SAMPLE_DATA, target)
    return target


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
