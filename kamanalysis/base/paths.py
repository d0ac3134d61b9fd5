"""Project paths, defined once.

In a clone (the package installed editable, ``make install``) the diagnosis template
and the sample engagement are the files in ``notebooks/`` and ``data/sample/`` next to
the package, the ones people open and edit. An installed wheel ships copies of both as
package data (``kamanalysis/notebooks``, ``kamanalysis/sample_data``), found through
:mod:`importlib.resources`.

Examples
--------
>>> from kamanalysis import paths
>>> paths.DIAGNOSIS_NOTEBOOK.name
'diagnosis.ipynb'
>>> (paths.SAMPLE_DATA / "engagement.toml").exists()
True
"""

import os
from importlib.resources import files
from pathlib import Path

#: The package folder (``kamanalysis/``), above this module's layer folder.
PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
#: True in a clone of the repository, False in an installed wheel.
IN_CHECKOUT = (ROOT / "pyproject.toml").exists() and (ROOT / "notebooks").is_dir()


def new_file_mode() -> int:
    """Return the mode a new file gets: ``0o666`` less the process's umask (0644 with 022).

    Reading the umask means setting it: it is set straight back. The reports, decks and PDFs
    are written to a temporary file (mode 0600) and given this mode before they are moved in.
    """
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


def shipped(name: str) -> Path:
    """Return a folder of package data (in the wheel, ``kamanalysis/<name>``)."""
    return Path(str(files("kamanalysis").joinpath(name)))


if IN_CHECKOUT:
    DATA = ROOT / "data"
    SAMPLE_DATA = DATA / "sample"
    NOTEBOOKS = ROOT / "notebooks"
    REPORTS = ROOT / "reports"
else:  # pragma: no cover - exercised by tests/test_install.py in a fresh environment
    DATA = PACKAGE
    SAMPLE_DATA = shipped("sample_data")
    NOTEBOOKS = shipped("notebooks")
    REPORTS = Path("reports")
DIAGNOSIS_NOTEBOOK = NOTEBOOKS / "diagnosis.ipynb"
