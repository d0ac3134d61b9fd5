"""The diagnosis template stays thin: one parameters cell of literals, no definitions."""

from __future__ import annotations

import ast

import nbformat
import pytest

from kamanalysis.base import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.rglob("*.ipynb"))
TEACHING = sorted((paths.NOTEBOOKS / "teaching").glob("*.ipynb"))


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def python_of(cell) -> str:
    """The cell's source without IPython magics (``%matplotlib inline``)."""
    return "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))


def test_template_has_exactly_one_parameters_cell_of_literals():
    cells = code_cells(paths.DIAGNOSIS_NOTEBOOK)
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse(tagged[0].source)
    assert tree.body, "the parameters cell is empty"
    for node in tree.body:
        assert isinstance(node, ast.Assign), ast.dump(node)
        assert isinstance(node.value, ast.Constant), ast.unparse(node)
    names = {t.id for node in tree.body for t in node.targets}
    assert names == {"data", "bu_id", "positions", "snapshot", "lang"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_define_nothing(path):
    for cell in code_cells(path):
        for node in ast.walk(ast.parse(python_of(cell))):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), (
                f"{path.name}: logic belongs in the package: {cell.source[:80]!r}"
            )


def test_template_defaults_point_at_the_sample():
    source = code_cells(paths.DIAGNOSIS_NOTEBOOK)[0].source
    assert '"../data/sample"' in source
    assert (paths.NOTEBOOKS / "../data/sample").resolve() == paths.SAMPLE_DATA


def test_there_is_a_teaching_notebook_per_tool():
    names = [p.stem for p in TEACHING]
    for tool in (
        "pest",
        "five_forces",
        "industry_evolution",
        "ife_efe_ie",
        "ge_matrix",
        "benchmarking",
        "value_chain",
        "quarterly_review",
        "key_account_selection",
        "supplier_positioning",
        "relationship_stages",
    ):
        assert any(tool in n for n in names), tool


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_teaching_notebooks_teach(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), "the tool's Chinese name"
    for heading in ("**What it is.**", "**How to rate.**", "**How to read.**", "## Exercise"):
        assert heading in text, heading
    assert "published" in text.lower() and ("(" in text and ")" in text)
    executed = [c for c in code_cells(path) if c.source.strip()]
    assert all(c.get("execution_count") for c in executed), "stored with outputs"
    assert not [o for c in executed for o in c.outputs if o.output_type == "error"]


def test_the_tour_points_to_every_teaching_notebook():
    tour = nbformat.read(paths.NOTEBOOKS / "00_tour.ipynb", as_version=4)
    text = "\n".join(c.source for c in tour.cells if c.cell_type == "markdown")
    for path in TEACHING:
        assert path.name in text, f"the tour does not point to {path.name}"
    executed = [c for c in tour.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in executed), "the tour is stored with its outputs"
