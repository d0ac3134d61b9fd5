"""`kam --version`, help on every argument, and OS errors that say reading or writing."""

from __future__ import annotations

import argparse
import tomllib

import pytest

from kamanalysis.base import paths
from kamanalysis.cli import build_parser, main


def test_version_prints_the_package_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    assert capsys.readouterr().out == f"kam {project['version']}\n"


def _parsers(parser: argparse.ArgumentParser, name: str = "kam"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                yield from _parsers(sub, f"{name} {command}")


def test_every_argument_of_every_command_has_help():
    seen, missing = 0, []
    for name, parser in _parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            seen += 1
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                missing.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert seen >= 25  # the walk reached the subcommands' arguments
    assert not missing, f"arguments without help: {missing}"


def test_subcommand_help_shows_the_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["sample", "--help"])
    shown = capsys.readouterr().out
    assert "number of accounts over all BUs (default: " in shown and "random seed" in shown


def test_a_read_error_says_read_not_write(sample_copy, capsys):
    (sample_copy / "accounts.csv").unlink()
    (sample_copy / "accounts.csv").mkdir()  # the loader opens a folder as a file
    for command in (["validate", str(sample_copy)], ["report", str(sample_copy), "--quiet"]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert f"{sample_copy / 'accounts.csv'}: expected a file we can read, got " in err, err
        assert "we can write" not in err


def test_a_write_error_still_says_write(tmp_path, capsys):
    (tmp_path / "a-file").write_text("x")
    assert main(["template", str(tmp_path / "a-file" / "new.xlsx")]) == 1
    assert "expected a path we can write, got " in capsys.readouterr().err
