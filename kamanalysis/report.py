"""Run the diagnosis notebook once per BU and write HTML reports plus an index.

The notebook ``notebooks/diagnosis.ipynb`` is executed by papermill with the
parameters ``data`` and ``bu_id``, then rendered to HTML by nbconvert with the
code hidden. Everything is built in a staging folder beside the output and moved
into place only when every BU succeeded, so a failed run never overwrites a good
report.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from .diagnosis import save_positions, strategic_position
from .engagement import load_engagement
from .errors import ReportError
from .overview import bu_summary
from .paths import DIAGNOSIS_NOTEBOOK

__all__ = ["ReportError", "ReportResult", "render_bu", "run_reports"]


@dataclass(frozen=True)
class ReportResult:
    """What a report run wrote."""

    out: Path
    index: Path
    reports: dict[str, Path]


def render_bu(
    data: str, bu_id: str, staging: str, notebook: str, positions: str = ""
) -> tuple[str, str | None]:
    """Execute the notebook for one BU into ``staging``; return (bu_id, error or None).

    Runs in a worker process; returns the error text instead of raising so that
    every BU's failure can be reported together.
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    staging_dir = Path(staging)
    executed = staging_dir / "notebooks" / f"{bu_id}.ipynb"
    try:
        pm.execute_notebook(
            notebook,
            str(executed),
            parameters={"data": data, "bu_id": bu_id, "positions": positions},
            kernel_name="python3",
            cwd=str(Path(notebook).parent),
            progress_bar=False,
            # the kernel's own start-up chatter (transport warnings) is not the user's concern
            extra_arguments=["--log-level=CRITICAL"],
        )
    except pm.PapermillExecutionError as exc:
        return bu_id, f"the notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, notebook unreadable, ...
        return bu_id, f"the notebook could not run: {type(exc).__name__}: {exc}"
    nb = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": f"Diagnosis {bu_id}"}}
    )
    (staging_dir / f"{bu_id}.html").write_text(body, encoding="utf-8")
    return bu_id, None


def _index_html(eng, files: dict[str, str]) -> str:
    summary = bu_summary(eng)
    rows = []
    for bu, row in summary.iterrows():
        link = f'<a href="{html.escape(files[bu])}">{html.escape(str(row["name"]))}</a>'
        rows.append(
            "<tr>"
            f"<td>{html.escape(str(bu))}</td><td>{link}</td><td>{row['accounts']}</td>"
            f"<td>{row['revenue']:,.0f}</td><td>{_pct(row['growth_yoy'])}</td>"
            f"<td>{row['gross_margin_pct']:.1f}</td><td>{_pct(row['top5_share'], sign=False)}</td>"
            "</tr>"
        )
    title = html.escape(eng.name)
    return f"""<!DOCTYPE html>
<html lang="{eng.language}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "DejaVu Sans", sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: right; }}
th:nth-child(-n+2), td:nth-child(-n+2) {{ text-align: left; }}
</style></head>
<body>
<h1>{title}</h1>
<p>Client: {html.escape(eng.settings["engagement"]["client"])}.
Quarter diagnosed: {eng.current_quarter}. Amounts in {html.escape(eng.currency)}.</p>
<table>
<thead><tr><th>BU</th><th>report</th><th>accounts</th>
<th>revenue {eng.current_quarter}</th><th>growth YoY</th><th>gross margin %</th>
<th>top-5 share</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
</body></html>
"""


def _pct(value: float, *, sign: bool = True) -> str:
    if value != value:  # NaN
        return "–"
    return f"{value:+.1%}" if sign else f"{value:.1%}"


def run_reports(
    data: str | Path,
    out: str | Path,
    *,
    bus: list[str] | None = None,
    jobs: int | None = None,
    progress: bool = True,
    notebook: str | Path = DIAGNOSIS_NOTEBOOK,
) -> ReportResult:
    """Validate ``data``, then write one HTML report per BU and ``index.html`` to ``out``.

    Parameters
    ----------
    data : str or Path
        Engagement folder or workbook.
    out : str or Path
        Output folder; created if needed. Existing files are replaced only when
        every BU succeeded.
    bus : list of str, optional
        Only these BUs (default: all).
    jobs : int, optional
        Notebooks run in parallel (default: one per core, at most one per BU).
    progress : bool
        Show a progress bar.
    notebook : str or Path
        The template notebook.

    Raises
    ------
    InputValidationError
        The data have problems; nothing is written.
    ReportError
        A BU's notebook failed; nothing in ``out`` is changed.
    """
    data_path = Path(data).resolve()
    eng = load_engagement(data_path)
    bu_ids = list(bus) if bus else eng.bu_ids
    report_eng = eng.for_bus(bu_ids)  # raises InputValidationError for an unknown BU
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kam-staging-", dir=out))
    try:
        (staging / "notebooks").mkdir()
        # the group's positions are computed once here, not once per BU's notebook
        positions = save_positions(strategic_position(eng), staging / "positions.pkl")
        workers = max(1, min(jobs or os.cpu_count() or 1, len(bu_ids)))
        failures: dict[str, str] = {}
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(
                    render_bu, str(data_path), bu, str(staging), str(notebook), str(positions)
                )
                for bu in bu_ids
            ]
            bar = tqdm(total=len(futures), desc="reports", unit="BU", disable=not progress)
            for future in as_completed(futures):
                bu, error = future.result()
                if error:
                    failures[bu] = error
                bar.update(1)
            bar.close()
        if failures:
            lines = [f"  - BU {bu}: {failures[bu]}" for bu in bu_ids if bu in failures]
            raise ReportError(
                f"{len(failures)} of {len(bu_ids)} reports failed; {out} was left as it was:\n"
                + "\n".join(lines)
            )
        files = {bu: f"{bu}.html" for bu in bu_ids}
        (staging / "index.html").write_text(_index_html(report_eng, files), encoding="utf-8")
        (out / "notebooks").mkdir(exist_ok=True)
        for bu in bu_ids:
            os.replace(staging / "notebooks" / f"{bu}.ipynb", out / "notebooks" / f"{bu}.ipynb")
            os.replace(staging / f"{bu}.html", out / f"{bu}.html")
        os.replace(staging / "index.html", out / "index.html")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReportResult(out, out / "index.html", {bu: out / f for bu, f in files.items()})
