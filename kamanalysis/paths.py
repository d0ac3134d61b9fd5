"""Project paths, defined once.

The package is installed editable from the repository, so the notebooks and
the sample engagement are found next to it.

Examples
--------
>>> from kamanalysis import paths
>>> paths.DIAGNOSIS_NOTEBOOK.name
'diagnosis.ipynb'
>>> (paths.SAMPLE_DATA / "engagement.toml").exists()
True
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
DATA = ROOT / "data"
SAMPLE_DATA = DATA / "sample"
NOTEBOOKS = ROOT / "notebooks"
DIAGNOSIS_NOTEBOOK = NOTEBOOKS / "diagnosis.ipynb"
REPORTS = ROOT / "reports"
