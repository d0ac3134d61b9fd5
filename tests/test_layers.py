"""The package's layers: every import runs downward (README, "Layout").

A module's layer is its folder: ``kamanalysis/base/``, ``core/``, ``data/``, ``tools/``,
``diagnosis/``, ``report/``, then the face (``cli.py``, ``__init__.py``) on top. A new
file needs no list. Imports inside functions count too: an in-function import hides an
arrow, it does not remove it. A method (tool) imports neither another method nor the data
layer: it takes DataFrames, not the ``Engagement``; a method with several files (a
subpackage such as ``tools/accounts/``) may import its own files.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kamanalysis.base import paths

#: Bottom up: a module may import from its own layer and the layers before it.
LAYERS = ["base", "core", "data", "tools", "diagnosis", "report", "face"]
LEVEL = {name: i for i, name in enumerate(LAYERS)}


def module_name(path: Path, package: Path) -> str:
    """``kamanalysis.tools.accounts.criteria`` for ``kamanalysis/tools/accounts/criteria.py``."""
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer of a dotted module name of the package: its first folder below the package."""
    parts = module.split(".")
    if len(parts) == 1:
        return "face"  # kamanalysis itself (__init__)
    if parts[1] in LEVEL and parts[1] != "face":
        return parts[1]
    if len(parts) == 2:
        return "face"  # kamanalysis.cli, kamanalysis.__main__
    return None


def unit_of(module: str) -> str:
    """What a tool may import of itself: a tool module, or a tool subpackage as a whole."""
    return ".".join(module.split(".")[:3])


def resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    """The absolute package modules an ``ImportFrom`` names (``from ..base import x`` ...)."""
    if node.level:
        base = module.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        stem = ".".join([*base, *([node.module] if node.module else [])])
    else:
        stem = node.module or ""
    if not node.module:  # from . import x, y: each name may be a module
        return [f"{stem}.{alias.name}" for alias in node.names]
    return [stem] + [f"{stem}.{alias.name}" for alias in node.names]


def imported_modules(module: str, source: str, *, is_package: bool = False) -> set[str]:
    """The package modules a module's source imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found.update(resolve(module, is_package, node))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "kamanalysis"}


def violations(sources: dict[str, str], packages: frozenset[str] = frozenset()) -> list[str]:
    """Every import from a higher layer, between tools, or of the data layer by a tool."""
    problems = []
    for module, source in sorted(sources.items()):
        mine = layer_of(module)
        if mine is None:
            problems.append(f"{module}: not in a layer folder ({', '.join(LAYERS[:-1])})")
            continue
        targets = imported_modules(module, source, is_package=module in packages)
        for target in sorted(targets):
            theirs = layer_of(target)
            if theirs is None or target == "kamanalysis":
                continue  # a name re-exported by kamanalysis/__init__, never a layer
            if LEVEL[theirs] > LEVEL[mine]:
                problems.append(f"{module} ({mine}) imports {target} ({theirs}), a layer above it")
            elif mine == "tools" and theirs == "data":
                problems.append(
                    f"{module} (tools) imports {target} (data): a method takes DataFrames"
                )
            elif mine == "tools" and theirs == "tools" and target.count(".") >= 2:
                if unit_of(target) != unit_of(module):
                    problems.append(
                        f"{module} (tools) imports {target} (tools): a method knows no other method"
                    )
    return problems


def package_sources() -> tuple[dict[str, str], frozenset[str]]:
    package = paths.PACKAGE
    sources, packages = {}, set()
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        sources[name] = path.read_text(encoding="utf-8")
        if path.name == "__init__.py":
            packages.add(name)
    return sources, frozenset(packages)


def test_every_import_in_the_package_runs_downward():
    sources, packages = package_sources()
    assert violations(sources, packages) == []


def test_every_module_of_the_package_sits_in_a_layer_folder():
    sources, _ = package_sources()
    assert {m for m in sources if layer_of(m) is None} == set()
    assert {layer_of(m) for m in sources} == set(LAYERS)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        (
            "kamanalysis.core.scoring",
            "from ..report import run_reports",
            "kamanalysis.core.scoring (core) imports kamanalysis.report (report)",
        ),
        (
            "kamanalysis.tools.pest",
            "def f():\n    from ..diagnosis import external_environment\n",
            "kamanalysis.tools.pest (tools) imports kamanalysis.diagnosis (diagnosis)",
        ),
        (
            "kamanalysis.tools.forces",
            "from . import pest",
            "kamanalysis.tools.forces (tools) imports kamanalysis.tools.pest (tools)",
        ),
        (
            "kamanalysis.tools.accounts.criteria",
            "from ..managers import SPAN",
            "imports kamanalysis.tools.managers (tools)",
        ),
        (
            "kamanalysis.tools.position",
            "from ..data.engagement import Engagement",
            "kamanalysis.tools.position (tools) imports kamanalysis.data",
        ),
        (
            "kamanalysis.base.schema",
            "import kamanalysis.core.charts",
            "kamanalysis.base.schema (base) imports kamanalysis.core.charts (core)",
        ),
        (
            "kamanalysis.data.engagement",
            "from kamanalysis.diagnosis.summary import bu_facts",
            "(data) imports kamanalysis.diagnosis.summary (diagnosis)",
        ),
        ("kamanalysis.brand_new.thing", "", "kamanalysis.brand_new.thing: not in a layer folder"),
    ],
)
def test_an_upward_import_in_a_synthetic_module_is_caught(module, source, expected):
    found = violations({module: source})
    assert any(expected in v for v in found), found


def test_downward_and_sideways_imports_in_a_synthetic_module_pass():
    sources = {
        "kamanalysis.diagnosis.portfolio": (
            "from ..tools.forces import score_five_forces\n"
            "from ..data.engagement import Engagement\nfrom . import summary"
        ),
        "kamanalysis.core.charts": "from ..base._validation import describe\n"
        "from ..base.errors import Problem",
        "kamanalysis.cli": "def f():\n    from .report import run_reports\n",
        "kamanalysis.tools.accounts.stages": "from ._common import x\nfrom . import criteria",
        "kamanalysis.tools.accounts": "from .criteria import score_key_account_criteria",
    }
    packages = frozenset({"kamanalysis.tools.accounts"})
    assert violations(sources, packages) == []


def test_a_new_file_needs_no_list(tmp_path):
    package = tmp_path / "kamanalysis"
    (package / "tools" / "brand_new").mkdir(parents=True)
    (package / "tools" / "brand_new" / "__init__.py").write_text("from .part import x\n")
    (package / "tools" / "brand_new" / "part.py").write_text("from ...base.errors import E\n")
    names = {module_name(p, package) for p in package.rglob("*.py")}
    assert names == {"kamanalysis.tools.brand_new", "kamanalysis.tools.brand_new.part"}
    assert {layer_of(n) for n in names} == {"tools"}


def test_the_old_flat_names_are_the_moved_modules_themselves():
    import importlib

    import kamanalysis as kam

    for old, layer in kam.MOVED_MODULES.items():
        moved = importlib.import_module(f"kamanalysis.{layer}.{old}")
        assert importlib.import_module(f"kamanalysis.{old}") is moved
        assert getattr(kam, old) is moved
    # the names the issue of the move keeps (issue 16), as users and notebooks call them
    assert kam.diagnosis.key_account_portfolio.__module__ == "kamanalysis.diagnosis.portfolio"
    assert kam.accounts.score_selection_matrix is kam.score_selection_matrix
    assert kam.managers.contact_plan.__module__ == "kamanalysis.tools.managers.contact"
    assert kam.report.run_reports.__module__ == "kamanalysis.report.run"
    assert kam.findings is importlib.import_module("kamanalysis.report.findings")
    # a file of a split method under the old name is the same module, not a second copy
    stages = importlib.import_module("kamanalysis.tools.accounts.stages")
    assert importlib.import_module("kamanalysis.accounts.stages") is stages


def test_no_module_of_the_package_is_longer_than_800_lines():
    long = {
        str(p.relative_to(paths.PACKAGE)): n
        for p in paths.PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}
