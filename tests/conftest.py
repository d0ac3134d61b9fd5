"""Shared fixtures: the sample engagement, and corrupted copies of it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import kamanalysis as kam
from kamanalysis import paths


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
