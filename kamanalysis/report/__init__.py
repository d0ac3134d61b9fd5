"""Report: findings, sections, plans, the batch and its pages; imports every layer below."""

from . import display, findings, plans, sections
from .engine import (
    CELL_TIMEOUT,
    KERNEL_ENV,
    RESET,
    WARM_UP,
    WORKER_SKIPS,
    Job,
    Rendered,
    render_bu,
    shutdown_kernels,
)
from .index import GROUP_COUNTS, INDEX_COLUMNS
from .run import (
    ReportError,
    ReportResult,
    as_of,
    check_bu_ids,
    is_safe_id,
    run_quarters,
    run_reports,
    safe_name,
)

__all__ = [
    "CELL_TIMEOUT",
    "GROUP_COUNTS",
    "INDEX_COLUMNS",
    "KERNEL_ENV",
    "RESET",
    "WARM_UP",
    "WORKER_SKIPS",
    "Job",
    "Rendered",
    "ReportError",
    "ReportResult",
    "as_of",
    "check_bu_ids",
    "display",
    "findings",
    "is_safe_id",
    "plans",
    "render_bu",
    "run_quarters",
    "run_reports",
    "safe_name",
    "sections",
    "shutdown_kernels",
]
