"""Issue 23, part 6: Ctrl-C or ``kill`` stops a batch cleanly, and leaves nothing behind.

``kam report`` runs in a process of its own with a notebook that waits in every BU; once
both BUs are running, it is sent SIGINT (to its process group, as a terminal's Ctrl-C is)
or SIGTERM. It must exit 130 / 143 with one line and no traceback, no worker or kernel may
survive it, its staging and private files must be gone and the reports of an earlier run
must be as they were. After ``kill -9`` (nothing can run in the batch), its workers and
kernels still stop.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from kamanalysis.base import paths
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import write_folder

DRIVER = """\
import sys
from pathlib import Path

import kamanalysis.report.run as run
from kamanalysis.cli import main

if __name__ == "__main__":  # the workers import this file too
    run.DIAGNOSIS_NOTEBOOK = Path(sys.argv[1])
    sys.exit(main(["report", sys.argv[2], "--out", sys.argv[3], "--jobs", "2", "--quiet"]))
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    settings, tables = generate(n_bus=2, n_accounts=30, seed=7)
    settings["engagement"]["name"] = "Small engagement"
    return write_folder(settings, tables, tmp_path_factory.mktemp("small") / "data")


def waiting_notebook(folder: Path, marker: Path) -> Path:
    """The diagnosis notebook, which first notes its BU in ``marker`` and then waits."""
    nb = json.loads(paths.DIAGNOSIS_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].insert(
        1,
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "wait",
            "metadata": {},
            "outputs": [],
            "source": [
                "import time\n",
                f"open({str(marker)!r}, 'a').write(bu_id + '\\n')\n",
                "time.sleep(600)\n",
            ],
        },
    )
    path = folder / "waiting.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def start_batch(small, tmp_path):
    """Start ``kam report`` on two BUs; return it, its out folder and its descendants."""
    marker = tmp_path / "running.txt"
    (tmp_path / "tmp").mkdir()
    (tmp_path / "runtime").mkdir()
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    out = tmp_path / "out"
    earlier = out / "small-engagement" / "2026Q3" / "PV.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("the report of an earlier run")
    env = {
        **os.environ,
        "TMPDIR": str(tmp_path / "tmp"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    notebook = waiting_notebook(tmp_path, marker)
    batch = subprocess.Popen(
        [sys.executable, str(driver), str(notebook), str(small), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a command in a terminal
    )
    for _ in range(600):  # both BUs running, each in its kernel (no wall-clock assert)
        if marker.exists() and len(marker.read_text().split()) == 2:
            break
        assert batch.poll() is None, batch.communicate()
        time.sleep(0.5)
    else:
        batch.kill()
        pytest.fail("the two BUs never started")
    children = psutil.Process(batch.pid).children(recursive=True)
    kernels = [c for c in children if "ipykernel_launcher" in " ".join(c.cmdline())]
    assert len(kernels) == 2 and len(children) >= 4  # two workers, two kernels (at least)
    return batch, out, earlier, [c.pid for c in children]


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_batch_cleanly(small, tmp_path, signum, code):
    batch, out, earlier, children = start_batch(small, tmp_path)
    if signum == signal.SIGINT:
        os.killpg(batch.pid, signum)  # Ctrl-C reaches the whole foreground group
    else:
        os.kill(batch.pid, signum)
    _, err = batch.communicate(timeout=120)
    assert batch.returncode == code, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == [
        f"kam report: stopped by {signal.Signals(signum).name}; nothing half-written was "
        "left, and the reports written before are as they were"
    ]
    for _ in range(40):
        if all(gone(pid) for pid in children):
            break
        time.sleep(0.5)
    assert [pid for pid in children if not gone(pid)] == []
    assert earlier.read_text() == "the report of an earlier run"
    assert sorted(p.name for p in earlier.parent.iterdir()) == ["PV.html"]
    assert [p.name for p in out.rglob(".*")] == []  # no staging folder, no partial file
    assert list((tmp_path / "tmp").iterdir()) == []  # the run's private folder is gone
    assert list((tmp_path / "runtime").glob("kernel-*.json")) == []  # kernels' files too


@pytest.mark.slow
def test_after_kill_9_the_workers_and_kernels_stop_too(small, tmp_path):
    batch, _, _, children = start_batch(small, tmp_path)
    os.kill(batch.pid, signal.SIGKILL)
    batch.communicate(timeout=60)
    for _ in range(60):
        if all(gone(pid) for pid in children):
            break
        time.sleep(0.5)
    assert [pid for pid in children if not gone(pid)] == []
