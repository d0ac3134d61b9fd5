"""Set-up stays reproducible: pyproject, environment.yml and the lock agree."""

from __future__ import annotations

import re
import tomllib

from kamanalysis.base import paths


def _name(spec: str) -> str:
    return re.split(r"[<>=!~\[ ;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [
        s for extra in project["optional-dependencies"].values() for s in extra
    ]
    # conda has no extras: its dask package brings distributed, pip's needs dask[distributed]
    return {_name(s): re.sub(r"\[.*?\]", "", s.replace(" ", "")) for s in specs}


def _environment() -> dict[str, str]:
    specs = {}
    text = (paths.ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        # conda packages (  - name) and, under pip:, PyPI-only ones (      - name)
        match = re.match(r"^(?:  |      )- ([A-Za-z0-9_.\-]+)(.*)$", line)
        if match and match.group(1) not in ("python", "pip", "-e"):
            specs[_name(match.group(1))] = (match.group(1) + match.group(2)).replace(" ", "")
    return specs


def test_environment_yml_and_pyproject_list_the_same_dependencies():
    assert _environment() == _pyproject()


def test_lock_pins_every_declared_dependency():
    lock = {}
    for line in (paths.ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            lock[_name(name)] = version.strip()
    missing = set(_pyproject()) - set(lock)
    assert not missing, f"not pinned in requirements.lock: {sorted(missing)}"
    assert "setuptools" in lock  # the editable install builds without isolation


def test_make_targets_and_ci():
    makefile = (paths.ROOT / "Makefile").read_text()
    for target in ("report:", "test:", "check:", "lock:", "bench:"):
        assert re.search(rf"^{target}", makefile, re.M), target
    assert "requirements.lock" in makefile
    assert "make test" in (paths.ROOT / ".ci" / "run").read_text()
    readme = (paths.ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme


def test_data_dictionary_is_current():
    from kamanalysis.base.dictionary import data_dictionary

    text = (paths.DATA / "README.md").read_text(encoding="utf-8")
    begin = text.index("-->\n", text.index("<!-- BEGIN GENERATED")) + 4
    end = text.index("<!-- END GENERATED -->")
    assert text[begin:end] == data_dictionary(), "regenerate with `kam dictionary`"
