"""The lowest-versions job installs exactly the lower bounds pyproject.toml declares."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from kamanalysis.base import paths


def _bounds() -> dict[str, Version]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [
        s for extra in project["optional-dependencies"].values() for s in extra
    ]
    bounds = {}
    for spec in specs:
        requirement = Requirement(spec)
        (only,) = requirement.specifier  # one bound per dependency ...
        assert only.operator == ">=", spec  # ... a lower one: the job installs it
        bounds[canonicalize_name(requirement.name)] = Version(only.version)
    return bounds


def _constraints() -> dict[str, Version]:
    pins = {}
    for line in (paths.ROOT / "constraints-lowest.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_constraints_pin_every_direct_dependency_at_its_lower_bound():
    assert _constraints() == _bounds()


def test_the_lowest_job_runs_in_ci_with_the_report_batch():
    makefile = (paths.ROOT / "Makefile").read_text()
    assert re.search(r"^test-lowest:", makefile, re.M)
    recipe = makefile.split("\ntest-lowest:", 1)[1].split("\n\n", 1)[0]
    assert '-m "not slow"' in recipe and "tests/test_batch.py" in recipe
    assert "-c constraints-lowest.txt" in makefile
    assert "make test-lowest" in (paths.ROOT / ".ci" / "run").read_text()


def test_the_bounds_that_were_raised_for_a_reason_stay_raised():
    bounds = _bounds()
    assert bounds["nbconvert"] >= Version("7.16.5")  # 7.16.0-7.16.4 fail with current mistune
    assert bounds["jinja2"] >= Version("3.1.2")  # pandas' Styler refuses older
    assert bounds["matplotlib"] >= Version("3.11")  # FreeType that reads the CJK font
