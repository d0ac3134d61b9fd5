"""Issue 23, parts 1 and 2: no code runs but ours, and the client's data stay private.

Kernels and workers start in a folder made for the run (0700) with the current and temp
folders off ``sys.path`` and the Python of ``kam`` itself; the snapshot handed to them is
a pickle signed with the run's key, in that private folder, removed at the end.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from kamanalysis.base import paths
from kamanalysis.base.errors import KamAnalysisError
from kamanalysis.base.signed import KEY_VARIABLE, new_key
from kamanalysis.data.engagement import load_engagement, load_snapshot
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import write_folder
from kamanalysis.diagnosis import save_positions, strategic_position
from kamanalysis.report import engine, run_reports


class Planted:
    """What another user would put in place of the snapshot: a pickle that runs code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    settings, tables = generate(n_bus=2, n_accounts=30, seed=7)
    settings["engagement"]["name"] = "Small engagement"
    return write_folder(settings, tables, tmp_path_factory.mktemp("small") / "data")


def probe_notebook(folder: Path, out: Path) -> Path:
    """The diagnosis notebook with a last cell printing where and how its kernel runs."""
    nb = json.loads(paths.DIAGNOSIS_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "probe",
            "metadata": {},
            "outputs": [],
            "source": [
                "import json as _j, os as _o, pathlib as _p, stat as _s, sys as _y\n",
                "print(_j.dumps({'cwd': _o.getcwd(),\n",
                "  'mode': _s.S_IMODE(_o.stat('.').st_mode),\n",
                "  'snapshot_mode': _s.S_IMODE(_o.stat(snapshot).st_mode),\n",
                "  'cwd_on_path': any(x in ('', '.', _o.getcwd()) for x in _y.path),\n",
                "  'python': _y.executable,\n",
                f"  'pickles_in_out': [str(x) for x in _p.Path({str(out)!r}).rglob('*.pkl')]}}))\n",
            ],
        }
    )
    path = folder / "probe.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def probed(result, bu: str) -> dict:
    executed = json.loads((result.folder / f"{bu}.ipynb").read_text(encoding="utf-8"))
    return json.loads("".join(executed["cells"][-1]["outputs"][0]["text"]))


@pytest.mark.slow
def test_code_planted_in_temp_or_cwd_never_runs_and_the_kernel_is_kams_python(
    small, tmp_path, monkeypatch
):
    shared = tmp_path / "shared-tmp"  # a temp folder anyone can write to
    shared.mkdir()
    marker = tmp_path / "PLANTED-CODE-RAN"
    for name in ("numpy.py", "pandas.py", "matplotlib.py", "kamanalysis.py"):
        (shared / name).write_text(f"open({str(marker)!r}, 'a').write({name!r})\n")
    # a user-level python3 kernelspec pointing at another interpreter
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = ["/nonexistent/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("TMPDIR", str(shared))
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.chdir(shared)
    out = tmp_path / "out"
    notebook = probe_notebook(tmp_path, out)

    result = run_reports(small, out, bus=["PV"], jobs=1, notebook=notebook, progress=False)

    assert not marker.exists()
    seen = probed(result, "PV")
    assert Path(seen["cwd"]).parent == shared and Path(seen["cwd"]).name.startswith("kam-run-")
    assert seen["mode"] == 0o700 and seen["snapshot_mode"] == 0o600
    assert seen["cwd_on_path"] is False
    assert Path(seen["python"]).resolve() == Path(sys.executable).resolve()
    assert seen["pickles_in_out"] == []  # the client's data never sit in the output folder
    assert not Path(seen["cwd"]).exists()  # the private folder is removed at the end
    assert [p.name for p in out.rglob(".*")] == []  # no staging left in the output either


def test_a_swapped_snapshot_is_refused_and_runs_nothing(tmp_path):
    eng = load_engagement(paths.SAMPLE_DATA)
    key = new_key()
    path = eng.save_snapshot(tmp_path / "snapshot.pkl", key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    marker = tmp_path / "SWAPPED-SNAPSHOT-RAN"
    path.write_bytes(pickle.dumps(Planted(marker)))  # another user swaps it
    with pytest.raises(KamAnalysisError, match="expected a file signed by this run"):
        load_snapshot(path, key)
    assert not marker.exists()
    # signed, but with another key (another run's, or a guess): refused too
    from kamanalysis.base import signed

    signed.dump(Planted(marker), path, new_key())
    with pytest.raises(KamAnalysisError, match="snapshot.pkl: expected a file signed"):
        load_snapshot(path, key)
    assert not marker.exists()


def test_swapped_positions_are_refused_in_a_kernel_holding_the_runs_key(tmp_path, monkeypatch):
    eng = load_engagement(paths.SAMPLE_DATA)
    key = new_key()
    path = save_positions(strategic_position(eng), tmp_path / "positions.pkl", key)
    monkeypatch.setenv(KEY_VARIABLE, key.hex())
    assert strategic_position(eng, precomputed=path).equals(strategic_position(eng))
    marker = tmp_path / "SWAPPED-POSITIONS-RAN"
    path.write_bytes(pickle.dumps(Planted(marker)))
    with pytest.raises(KamAnalysisError, match="positions.pkl: expected a file signed"):
        strategic_position(eng, precomputed=path)
    assert not marker.exists()


def test_without_the_runs_key_a_snapshot_is_not_read(tmp_path, monkeypatch):
    eng = load_engagement(paths.SAMPLE_DATA)
    path = eng.save_snapshot(tmp_path / "snapshot.pkl", new_key())
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    with pytest.raises(KamAnalysisError, match=f"no key .* {KEY_VARIABLE}"):
        load_snapshot(path)


def test_a_dask_worker_keeps_the_handed_files_in_a_private_folder_of_the_run(tmp_path, monkeypatch):
    shared = tmp_path / "shared-tmp"
    (shared / "kamanalysis-runs").mkdir(parents=True)  # created first by another user
    os.chmod(shared / "kamanalysis-runs", 0o777)
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    files = {engine.SNAPSHOT: b"signed snapshot", engine.POSITIONS: b"signed positions"}
    folder = Path(engine._materialise(files, run="run-a"))
    other = Path(engine._materialise(files, run="run-b"))
    assert folder != other and shared / "kamanalysis-runs" not in (folder.parent, other.parent)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / engine.SNAPSHOT).stat().st_mode) == 0o600
    assert (folder / engine.SNAPSHOT).read_bytes() == b"signed snapshot"
    assert engine._materialise(files, run="run-a") == str(folder)  # once per worker and run
    engine._finish_on_worker("run-a")
    assert not folder.exists() and other.exists()  # run b's files stay until run b ends
    engine._finish_on_worker("run-b")
    assert not other.exists()
