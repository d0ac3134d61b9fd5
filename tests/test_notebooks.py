"""The notebooks stay thin, and the stored ones show formatted numbers the same on every run.

The diagnosis template has one parameters cell of literals; no notebook defines anything.
The tour and the teaching notebooks are stored with their outputs: tables through
``kam.display.styled``, no raw float, no memory address, nothing a run changes.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import nbformat
import pytest

from kamanalysis.base import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS.rglob("*.ipynb"))
TEACHING = sorted((paths.NOTEBOOKS / "teaching").glob("*.ipynb"))
#: The tour and the teaching notebooks: stored with outputs, re-executed by `make notebooks`.
STORED = [paths.NOTEBOOKS / "00_tour.ipynb", *TEACHING]
#: nbconvert's configuration of `make notebooks`: what a run changes stays out of the files.
NBCONVERT_CONFIG = paths.NOTEBOOKS / "nbconvert.json"


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
        "swot_bcg",
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


def outputs(path):
    """Yield (cell number, output) of a notebook's code cells."""
    for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
        for output in cell.get("outputs", []):
            yield number, output


def holds_a_float(value) -> bool:
    """Return True when a literal (a tuple, list, dict, ...) holds a float anywhere."""
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(map(holds_a_float, [*value, *value.values()]))
    if isinstance(value, tuple | list | set):
        return any(map(holds_a_float, value))
    return False


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_stored_outputs_show_every_number_formatted(path):
    for number, output in outputs(path):
        data = output.get("data", {})
        where = f"{path.name} cell {number}"
        shown = data.get("text/plain", "")
        assert 'class="dataframe"' not in data.get("text/html", ""), f"{where}: use styled()"
        assert "dtype:" not in shown, f"{where}: a raw Series; use styled(series.to_frame())"
        try:
            literal = ast.literal_eval(shown)
        except (SyntaxError, ValueError):
            literal = None
        assert not holds_a_float(literal), f"{where}: a raw float {shown!r}"
        text = output.get("text", "") + shown + data.get("text/html", "")
        assert not re.search(r"\d\.\d{8,}", text), f"{where}: a raw float repr"
        assert not re.search(r" at 0x[0-9a-fA-F]+", text), f"{where}: a memory address"


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_stored_notebooks_carry_nothing_a_run_changes(path):
    nb = nbformat.read(path, as_version=4)
    assert set(nb.metadata) <= {"kernelspec", "authors", "title"}, "the kernel's version"
    timed = [i for i, cell in enumerate(nb.cells) if "execution" in cell.metadata]
    assert not timed, f"cells {timed} carry execution timestamps: run `make notebooks`"


def test_make_notebooks_uses_the_configuration():
    makefile = (paths.ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nnotebooks:", 1)[1].split("\n\n", 1)[0]
    assert "--config notebooks/nbconvert.json" in recipe


def execute(source, folder):
    """Execute a notebook as `make notebooks` does, into ``folder``; return the file's bytes."""
    folder.mkdir()
    command = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute"]
    command += ["--config", str(NBCONVERT_CONFIG), "--output-dir", str(folder), str(source)]
    subprocess.run(command, check=True, capture_output=True, cwd=paths.ROOT)
    return (folder / source.name).read_bytes()


@pytest.mark.slow
def test_a_notebook_executed_twice_is_stored_byte_for_byte_the_same(tmp_path):
    source = paths.NOTEBOOKS / "teaching" / "09_key_account_selection.ipynb"
    first = execute(source, tmp_path / "first")
    assert execute(source, tmp_path / "second") == first
    assert b"iopub.execute_input" not in first and b" at 0x" not in first
