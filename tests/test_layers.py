"""The package's layers: every import runs downward (README, "Layout").

Imports inside functions count too: an in-function import hides an arrow, it does not
remove it. A method (tool) module imports neither another method module nor the data
layer: it takes DataFrames, not the ``Engagement``.
"""

from __future__ import annotations

import ast

import pytest

from kamanalysis import paths

#: Bottom up. A new module goes in one of these lists, or this test fails.
LAYERS = {
    "base": ["errors", "_validation", "_numeric", "quarters", "paths", "schema", "i18n"],
    "core": ["scoring", "charts", "fonts"],
    "data": ["engagement", "reading", "settings", "checks", "workbook", "sample"],
    "tools": [
        "pest",
        "forces",
        "evolution",
        "position",
        "benchmark",
        "value_chain",
        "review",
        "accounts",
        "managers",
    ],
    "composition": ["diagnosis", "overview", "summary"],
    "report": ["report", "display", "findings", "sections", "plans"],
    "face": ["cli", "__init__", "__main__"],
}
LEVEL = {module: i for i, layer in enumerate(LAYERS.values()) for module in layer}
LAYER_OF = {module: name for name, layer in LAYERS.items() for module in layer}


def imported_modules(source: str) -> set[str]:
    """The package modules a module's source imports, wherever the import statement is."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:  # from .x import y
                found.add(node.module.split(".")[0])
            elif node.level == 1:  # from . import x, y
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("kamanalysis."):
                found.add(node.module.split(".")[1])
            elif node.module == "kamanalysis":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kamanalysis."):
                    found.add(alias.name.split(".")[1])
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """Every import of a module from a higher layer, or between tools, or of data by tools."""
    problems = []
    for module, source in sorted(sources.items()):
        if module not in LEVEL:
            problems.append(f"{module}: not in any layer of tests/test_layers.py")
            continue
        for target in sorted(imported_modules(source)):
            if target not in LEVEL:
                continue  # not a module (a name re-exported by __init__), or a missing one
            if LEVEL[target] > LEVEL[module]:
                problems.append(
                    f"{module} ({LAYER_OF[module]}) imports {target} ({LAYER_OF[target]}), "
                    "a layer above it"
                )
            elif LAYER_OF[module] == "tools" and LAYER_OF[target] in ("tools", "data"):
                if target != module:
                    problems.append(
                        f"{module} (tools) imports {target} ({LAYER_OF[target]}): a method "
                        "module takes DataFrames and knows no other method"
                    )
    return problems


def package_sources() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(paths.PACKAGE.glob("*.py"))}


def test_every_import_in_the_package_runs_downward():
    assert violations(package_sources()) == []


def test_every_module_of_the_package_has_a_layer():
    assert set(package_sources()) <= set(LEVEL)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("scoring", "from .report import run_reports", "scoring (core) imports report (report)"),
        (
            "pest",
            "def f():\n    from .diagnosis import external_environment\n",
            "pest (tools) imports diagnosis (composition)",
        ),
        ("forces", "from . import pest", "forces (tools) imports pest (tools)"),
        ("position", "from .engagement import Engagement", "position (tools) imports engagement"),
        ("schema", "import kamanalysis.charts", "schema (base) imports charts (core)"),
        ("brand_new", "", "brand_new: not in any layer"),
    ],
)
def test_an_upward_import_in_a_synthetic_module_is_caught(module, source, expected):
    found = violations({module: source})
    assert any(expected in v for v in found), found


def test_downward_and_sideways_imports_in_a_synthetic_module_pass():
    sources = {
        "diagnosis": "from .forces import score_five_forces\nfrom .engagement import Engagement",
        "charts": "from ._validation import describe\nfrom .errors import Problem",
        "cli": "def f():\n    from .report import run_reports\n",
    }
    assert violations(sources) == []
