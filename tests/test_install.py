"""Installed, not only cloned: the built wheel runs ``kam sample`` and ``kam report`` elsewhere.

The wheel is built without build isolation and installed with ``--no-deps`` into a fresh
virtual environment that sees this environment's packages through a ``.pth`` file, so the
test needs no download; the checkout itself is not on that environment's path.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig

import pytest

from kamanalysis.base import paths

pytestmark = pytest.mark.slow  # builds a wheel, then runs a batch from it


def run(command, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv holding only the built kamanalysis wheel; returns its bin folder."""
    if not paths.IN_CHECKOUT:
        pytest.skip("runs from a checkout")
    root = tmp_path_factory.mktemp("install")
    run(
        [
            sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
            "--no-build-isolation", "--wheel-dir", str(root / "wheel"), str(paths.ROOT),
        ]
    )  # fmt: skip
    (wheel,) = (root / "wheel").glob("kamanalysis-*.whl")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    bin_dir = venv / "bin"
    python = bin_dir / "python"
    purelib = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    # this environment's third-party packages (not its editable kamanalysis) come after the venv's
    ours = [*site.getsitepackages(), sysconfig.get_paths()["purelib"]]
    (venv / purelib.split(str(venv) + "/", 1)[1] / "project-deps.pth").write_text(
        "\n".join(dict.fromkeys(ours)) + "\n"
    )
    # without PYTHONPATH: a checkout on it (its kamanalysis.egg-info) would pass for installed
    run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], env=clean_env())
    return bin_dir


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    # the borrowed packages' data files (nbconvert's HTML templates) stay in this prefix;
    # a real `pip install` puts them in the new environment's own
    env["JUPYTER_PATH"] = os.path.join(sys.prefix, "share", "jupyter")
    return env


def test_the_installed_package_is_not_the_checkout(installed, tmp_path):
    done = run(
        [
            str(installed / "python"),
            "-c",
            "import kamanalysis.base.paths as p; print(p.IN_CHECKOUT, p.DIAGNOSIS_NOTEBOOK.exists(), "
            "(p.SAMPLE_DATA / 'engagement.toml').exists(), p.PACKAGE)",
        ],
        cwd=tmp_path,
        env=clean_env(),
    )
    in_checkout, notebook, sample, package = done.stdout.split()
    assert (in_checkout, notebook, sample) == ("False", "True", "True")
    assert package.startswith(str(installed.parent)) and str(paths.ROOT) not in package


def test_kam_sample_and_report_from_another_folder(installed, tmp_path):
    env = clean_env()
    kam = str(installed / "kam")
    run([kam, "sample", "engagement", "--bus", "2", "--accounts", "20"], cwd=tmp_path, env=env)
    done = run([kam, "report", "engagement", "--jobs", "1", "--quiet"], cwd=tmp_path, env=env)
    assert "wrote 2 BU reports for 2026Q3" in done.stdout
    (quarter,) = (tmp_path / "reports").glob("*/2026Q3")
    for bu in ("PV", "IC"):
        assert (quarter / f"{bu}.html").stat().st_size > 100_000  # with its charts
    assert (tmp_path / "reports" / "index.html").exists()


def test_kam_version_and_the_licence_ship_in_the_wheel(installed, tmp_path):
    done = run([str(installed / "kam"), "--version"], cwd=tmp_path, env=clean_env())
    assert done.stdout == "kam 0.1.0\n"
    shown = run(
        [
            str(installed / "python"),
            "-c",
            "from importlib import metadata as m; d = m.distribution('kamanalysis'); "
            "print(d.metadata['License-Expression'], d.metadata['License-File']); "
            "print(d.locate_file([f for f in d.files if f.name == 'LICENSE'][0]).read_text())",
        ],
        cwd=tmp_path,
        env=clean_env(),
    ).stdout
    assert shown.startswith(
        "MIT LICENSE\nMIT License\n\nCopyright (c) 2026 the kamanalysis authors"
    )
