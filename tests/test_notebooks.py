"""The diagnosis template stays thin: one parameters cell of literals, no definitions."""

from __future__ import annotations

import ast

import nbformat
import pytest

from kamanalysis import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


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
    assert names == {"data", "bu_id"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_define_nothing(path):
    for cell in code_cells(path):
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), (
                f"{path.name}: logic belongs in the package: {cell.source[:80]!r}"
            )


def test_template_defaults_point_at_the_sample():
    source = code_cells(paths.DIAGNOSIS_NOTEBOOK)[0].source
    assert '"../data/sample"' in source
    assert (paths.NOTEBOOKS / "../data/sample").resolve() == paths.SAMPLE_DATA
