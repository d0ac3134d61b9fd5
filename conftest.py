"""Loaded before any test module: what every pytest process of the suite does first.

jsonschema (through nbformat, which nbval imports) imports ``rfc3987_syntax`` when it is
installed (jupyterlab's dependencies bring it), to check the ``iri`` formats, which no
notebook schema uses; it compiles some 35 Earley grammars on import: 2.4 s per process here
(python-jsonschema/jsonschema#1428). Marked absent, jsonschema leaves those formats out, as
the batch's own workers do (``kamanalysis.report.engine.WORKER_SKIPS``). For that nbval is
loaded from here (``pytest_plugins``), after the mark, not by its entry point (``-p
no:nbval`` in pyproject.toml's ``addopts``).
"""

import sys

from kamanalysis.report.engine import WORKER_SKIPS

for _name in WORKER_SKIPS:
    sys.modules.setdefault(_name, None)  # a later import raises ImportError

pytest_plugins = ["nbval.plugin"]
