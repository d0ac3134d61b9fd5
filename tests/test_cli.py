"""The `kam` command: exit codes and readable output, never a traceback on bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import set_cell

from kamanalysis.base import paths
from kamanalysis.cli import main


def test_validate_ok(capsys):
    assert main(["validate", str(paths.SAMPLE_DATA)]) == 0
    out = capsys.readouterr().out
    assert "OK: 3 BUs, 155 accounts, 8 quarters (2024Q4 to 2026Q3)" in out


def test_validate_names_the_tables_left_out_as_information_and_exits_0(sample_copy, capsys):
    for name in ("pest", "forces", "contacts"):
        (sample_copy / f"{name}.csv").unlink()
    assert main(["validate", str(sample_copy)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "OK: 3 BUs, 155 accounts" in lines[0]
    assert lines[1:] == [
        "  read the CSV files as UTF-8",
        "  not provided (its tools will say 'not assessed'): pest.csv, forces.csv, contacts.csv",
    ]


def test_validate_names_the_sheets_left_out_of_a_workbook(tmp_path, capsys, recent_workbook):
    from openpyxl import load_workbook

    # the sample's workbook cut to its last two quarters (conftest): quicker to edit and read
    path = shutil.copyfile(recent_workbook, tmp_path / "e.xlsx")
    book = load_workbook(path)
    del book["feedback"]
    book.save(path)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "not provided (its tools will say 'not assessed'): feedback\n" in out


def test_validate_lists_every_problem_and_exits_1(sample_copy, capsys):
    set_cell(sample_copy, "pest", 3, "impact", "9")
    set_cell(sample_copy, "accounts", 2, "bu_id", "NOPE")
    assert main(["validate", str(sample_copy)]) == 1
    out = capsys.readouterr().out
    assert "2 problems found" in out
    assert "pest.csv row 3, column impact: expected a rating from 1 to 3, got 9" in out
    assert (
        'accounts.csv row 2, column bu_id: expected a bu_id listed in business_units, got "NOPE"'
        in out
    )


@pytest.mark.slow  # `kam report` starts a worker and its kernel before it validates
def test_bad_input_gives_no_traceback_from_the_installed_command(sample_copy):
    set_cell(sample_copy, "account_quarters", 2, "revenue", "abc")
    for command in (
        ["validate", str(sample_copy)],
        ["report", str(sample_copy), "--out", str(sample_copy / "out")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kamanalysis.cli", *command],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, command
        text = done.stdout + done.stderr
        assert "Traceback" not in text
        assert (
            'account_quarters.csv row 2, column revenue: expected a number >= 0, got "abc"' in text
        )
    assert not (sample_copy / "out").exists() or not any((sample_copy / "out").iterdir())


def test_template_command(tmp_path, capsys):
    assert main(["template", str(tmp_path / "new.xlsx")]) == 0
    assert (tmp_path / "new.xlsx").exists()
    assert main(["template", str(tmp_path / "new.csv")]) == 1
    assert "expected a path ending in .xlsx" in capsys.readouterr().err


def test_sample_command_writes_folder_and_workbook(tmp_path):
    assert main(["sample", str(tmp_path / "s"), "--bus", "2", "--accounts", "20"]) == 0
    assert main(["sample", str(tmp_path / "s.xlsx"), "--bus", "2", "--accounts", "20"]) == 0
    assert main(["validate", str(tmp_path / "s")]) == 0
    assert main(["validate", str(tmp_path / "s.xlsx")]) == 0


def test_dictionary_command(capsys):
    assert main(["dictionary"]) == 0
    assert "## `account_assessments`" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "no/such/folder"], "expected an engagement folder or an .xlsx workbook"),
        (["template", "new.csv"], "expected a path ending in .xlsx"),
        (["template", "a-file/new.xlsx"], "expected a path we can write"),
        (["sample", "a-file"], "expected a path we can write"),
        # `kam report` starts a worker and its kernel before it validates
        pytest.param(
            ["report", "no/such/folder", "--out", "out"],
            "expected an engagement folder",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            ["report", str(paths.SAMPLE_DATA), "--bu", "XX", "--out", "out"],
            "one of the BUs",
            marks=pytest.mark.slow,
        ),
        (["sample", "s", "--bus", "0"], "--bus: expected at least 1 BU, got 0"),
        (["sample", "s", "--bus", "3", "--accounts", "2"], "--accounts: expected at least one"),
    ],
)
def test_bad_arguments_give_a_clear_message_and_exit_1(
    argv, message, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert message in captured.err + captured.out
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    "argv", [["nope"], ["sample"], ["sample", "s", "--bus", "x"], ["report", "d", "--jobs", "two"]]
)
def test_unusable_command_lines_show_usage_not_a_traceback(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage: kam" in capsys.readouterr().err
