"""The ``kam`` command: validate, template, report, sample, account-plan, backtest, dictionary.

Examples
--------
>>> from kamanalysis import paths
>>> main(["validate", str(paths.SAMPLE_DATA)])  # doctest: +ELLIPSIS
/.../sample: OK: 3 BUs, 155 accounts, 8 quarters (2024Q4 to 2026Q3), current quarter 2026Q3
  read the CSV files as UTF-8
0
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import tomllib
from importlib import metadata
from pathlib import Path

from .base import paths
from .base.dictionary import data_dictionary
from .base.errors import InputValidationError, KamAnalysisError, Problem
from .base.markup import plain
from .data.engagement import load_engagement
from .data.reading import csv_encodings
from .data.sample import N_ACCOUNTS, SEED, generate
from .data.workbook import write_folder, write_template, write_workbook
from .report.formats import FormatsError
from .report.run import check_bu_ids, run_quarters, run_reports


def _validate(args: argparse.Namespace) -> int:
    try:
        eng = load_engagement(args.path)
        check_bu_ids(eng)  # a BU id that cannot name its report is refused here already
    except InputValidationError as exc:
        n = len(exc.problems)
        # control characters in the data or a path are written out: nothing fakes the verdict
        print(plain(f"{args.path}: {n} problem{'s' if n != 1 else ''} found"))
        for problem in exc.problems:
            print(plain(f"  - {problem}"))
        return 1
    quarters = eng.quarters
    span = f"{quarters[0]} to {quarters[-1]}" if quarters else "none"
    print(
        f"{args.path}: OK: {len(eng.bu_ids)} BUs, {len(eng.accounts)} accounts, "
        f"{len(quarters)} quarters ({span}), current quarter {eng.current_quarter}"
    )
    if Path(args.path).is_dir():
        print(f"  read {_encodings(csv_encodings(args.path))}")
    if eng.absent:
        names = ", ".join(eng.location(t)[1] or eng.location(t)[0] for t in eng.absent)
        print(f"  not provided (its tools will say 'not assessed'): {names}")
    return 0


def _encodings(found: dict[str, str]) -> str:
    """Say which encoding the CSV files were read with, naming the exceptions.

    Examples
    --------
    >>> _encodings({"a.csv": "UTF-8", "b.csv": "UTF-8"})
    'the CSV files as UTF-8'
    >>> _encodings({"a.csv": "UTF-8", "b.csv": "GB18030/GBK", "c.csv": "UTF-8"})
    'the CSV files as UTF-8, except b.csv as GB18030/GBK'
    """
    counts: dict[str, int] = {}
    for name in found.values():
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return "no CSV files"
    main = max(counts, key=lambda n: (counts[n], n == "UTF-8"))
    others = [f"{file} as {name}" for file, name in found.items() if name != main]
    return f"the CSV files as {main}" + (", except " + ", ".join(others) if others else "")


def _refuse_to_replace(path: Path, force: bool) -> None:
    """Raise unless ``path`` is new (or an empty folder), or ``--force`` says to replace it."""
    if force:
        return
    taken = (
        path.is_file() if path.suffix.lower() == ".xlsx" else path.is_dir() and any(path.iterdir())
    )
    if taken:
        raise KamAnalysisError(
            f"{path}: expected a new file or folder, got one that exists (and would be "
            "replaced); choose another path, or add --force to replace it"
        )


def _template(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.suffix.lower() != ".xlsx":
        raise InputValidationError(f"kam template: expected a path ending in .xlsx, got {path}")
    _refuse_to_replace(path, args.force)
    write_template(path)
    print(f"wrote the empty engagement workbook {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    options = dict(
        bus=args.bu or None,
        lang=args.lang,
        jobs=args.jobs,
        scheduler=args.scheduler,
        tls={"ca_file": args.tls_ca_file, "cert": args.tls_cert, "key": args.tls_key},
        progress=not args.quiet,
        formats=args.formats,
        pptx_template=args.pptx_template,
    )
    try:
        if args.quarter == "all":  # every quarter of the data, in one pool of workers
            results = list(run_quarters(args.data, args.out, **options).values())
        else:
            results = [run_reports(args.data, args.out, quarter=args.quarter, **options)]
    except FormatsError as exc:  # checked first, said last: the HTML reports were written
        for result in exc.results.values():
            print(result.summary() + " (HTML only)")
        raise
    for result in results:
        print(result.summary())
    print(f"every quarter run so far: {results[-1].out / 'index.html'}")
    return 0


def _sample(args: argparse.Namespace) -> int:
    _refuse_to_replace(Path(args.out), args.force)
    settings, tables = generate(n_bus=args.bus, n_accounts=args.accounts, seed=args.seed)
    if str(args.out).lower().endswith(".xlsx"):
        write_workbook(settings, tables, args.out)
    else:
        write_folder(settings, tables, args.out)
    print(
        f"wrote a sample engagement with {args.bus} BUs and {args.accounts} accounts to {args.out}"
    )
    return 0


def _account_plan(args: argparse.Namespace) -> int:
    from .diagnosis import check_management
    from .report.plans import write_account_plan

    eng = load_engagement(args.data)
    check_management(eng)
    earlier = eng.as_of(args.quarter)  # as known at the end of the quarter planned for
    quarter = earlier.current_quarter
    accounts = eng.accounts.set_index("account_id")
    if args.account_id in accounts.index and args.account_id not in set(
        earlier.accounts["account_id"]
    ):
        file, sheet = eng.location("accounts")
        since = accounts.loc[args.account_id, "since_quarter"]
        raise InputValidationError(
            [
                Problem(
                    file,
                    f"an account that was a customer in {quarter}",
                    f"{args.account_id}, a customer since {since}",
                    column="since_quarter",
                    sheet=sheet,
                )
            ]
        )
    eng = earlier
    out = Path(args.out or f"{args.account_id}_{quarter}_plan.html")
    write_account_plan(eng, args.account_id, out, quarter, lang=args.lang, audience=args.audience)
    print(f"wrote the account plan of {args.account_id} ({quarter}) to {out}")
    return 0


def _backtest(args: argparse.Namespace) -> int:
    from .diagnosis.backtest import check_horizon, score_backtest
    from .report.backtest_page import write_backtest

    check_horizon(args.horizon)
    eng = load_engagement(args.data)
    bt = score_backtest(eng, horizon=args.horizon, lang=args.lang)
    out = Path(args.out or "backtest.html")
    write_backtest(eng, out, horizon=args.horizon, lang=args.lang)
    if not bt.enough:  # not an error: the page says so too
        print(bt.note)
    print(f"wrote the backtest ({args.horizon} quarters ahead) to {out}")
    return 0


def _dictionary(args: argparse.Namespace) -> int:
    print(data_dictionary(), end="")
    return 0


def version() -> str:
    """Return kamanalysis's version: the installed distribution's, or the checkout's pyproject.

    Examples
    --------
    >>> version()
    '0.1.0'
    """
    try:
        return metadata.version("kamanalysis")
    except metadata.PackageNotFoundError:  # a checkout on sys.path, not installed
        with (paths.ROOT / "pyproject.toml").open("rb") as fh:
            return tomllib.load(fh)["project"]["version"]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of ``kam``."""
    parser = argparse.ArgumentParser(
        prog="kam", description="Key-account marketing strategy diagnosis workbook."
    )
    parser.add_argument(
        "--version", action="version", version=f"kam {version()}", help="print the version"
    )
    sub = parser.add_subparsers(dest="command", required=True, help="what to do")
    p = sub.add_parser(
        "validate", help="check an engagement folder or workbook; exit 1 on problems"
    )
    p.add_argument("path", help="engagement folder or .xlsx workbook")
    p.set_defaults(func=_validate)
    p = sub.add_parser("template", help="write an empty engagement workbook (.xlsx)")
    p.add_argument("path", help="the workbook to write, e.g. engagement.xlsx")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.set_defaults(func=_template)
    p = sub.add_parser(
        "report",
        help="write one HTML diagnosis report per BU into OUT/<engagement>/<quarter>/",
    )
    p.add_argument("data", help="engagement folder or .xlsx workbook")
    p.add_argument("--out", default="reports", help="output folder (default: ./reports)")
    p.add_argument(
        "--quarter",
        help="diagnose this earlier quarter (default: the current one); "
        "'all': every quarter of the data, one after the other",
    )
    p.add_argument("--bu", action="append", help="only this BU (repeatable)")
    p.add_argument("--lang", choices=("en", "zh"), help="report language (default: the data's)")
    p.add_argument(
        "--jobs", type=int, default=None, help="BUs run in parallel (default: one per core)"
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster, e.g. tcp://host:8786 or tls://host:8786 "
        "(pip install 'kamanalysis[dask]')",
    )
    p.add_argument("--tls-ca-file", metavar="FILE", help="tls:// scheduler: the CA certificate")
    p.add_argument("--tls-cert", metavar="FILE", help="tls:// scheduler: this client's certificate")
    p.add_argument("--tls-key", metavar="FILE", help="tls:// scheduler: this client's key")
    p.add_argument(
        "--formats",
        default="html",
        metavar="LIST",
        help="what to write per BU, comma-separated, any of html, pptx, pdf (default: html; "
        "the HTML is always written): <BU>.pptx, <BU>.pdf beside <BU>.html",
    )
    p.add_argument(
        "--pptx-template",
        metavar="FILE",
        help="the firm's PowerPoint master (.pptx) for the decks (with --formats ...pptx)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_report)
    p = sub.add_parser("sample", help="generate a fictional engagement (folder or .xlsx)")
    p.add_argument("out", help="folder to write, or a workbook when it ends in .xlsx")
    p.add_argument("--bus", type=int, default=3, help="number of BUs (default: 3)")
    p.add_argument(
        "--accounts",
        type=int,
        default=N_ACCOUNTS,
        help=f"number of accounts over all BUs (default: {N_ACCOUNTS})",
    )
    p.add_argument(
        "--seed", type=int, default=SEED, help=f"random seed (default: {SEED}, as data/sample)"
    )
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(func=_sample)
    p = sub.add_parser(
        "account-plan", help="write the one-page plan of one account (self-contained HTML)"
    )
    p.add_argument("data", help="engagement folder or .xlsx workbook")
    p.add_argument("account_id", help="the account, e.g. PV002")
    p.add_argument("--quarter", help="plan for this quarter (default: the current one)")
    p.add_argument("--lang", choices=("en", "zh"), help="plan language (default: the data's)")
    p.add_argument("--out", help="output file (default: ./<ACCOUNT_ID>_<QUARTER>_plan.html)")
    p.add_argument(
        "--audience",
        choices=("internal", "client"),
        default="internal",
        help="internal (default: everything) or client: a plan to share with the customer, "
        "without competency gaps, attitudes, social styles, churn risks or margins",
    )
    p.set_defaults(func=_account_plan)
    p = sub.add_parser(
        "backtest",
        help="write how well past quarters' account scores predicted what happened next (HTML)",
    )
    p.add_argument("data", help="engagement folder or .xlsx workbook")
    p.add_argument(
        "--horizon", type=int, default=4, help="quarters ahead compared (default: 4, a year)"
    )
    p.add_argument("--lang", choices=("en", "zh"), help="page language (default: the data's)")
    p.add_argument("--out", help="output file (default: ./backtest.html)")
    p.set_defaults(func=_backtest)
    p = sub.add_parser("dictionary", help="print the data dictionary (Markdown)")
    p.set_defaults(func=_dictionary)
    return parser


#: Per command, the arguments naming what it reads and what it writes.
READS = {
    "validate": ("path",),
    "report": ("data",),
    "account-plan": ("data",),
    "backtest": ("data",),
}
WRITES = {
    "report": ("out",),
    "account-plan": ("out",),
    "backtest": ("out",),
    "template": ("path",),
    "sample": ("out",),
}


def _within(filename: str, named: object) -> bool:
    if not named:
        return False
    file, root = Path(filename).absolute(), Path(str(named)).absolute()
    return file == root or file.is_relative_to(root)


def os_error_message(args: argparse.Namespace, exc: OSError) -> str:
    """Say what failed: reading an input, or writing an output, and the system's reason.

    The file is an output when it lies in a path the command writes (``--out``, the
    template's or sample's path), an input when it lies in one the command reads.

    Examples
    --------
    >>> args = argparse.Namespace(command="report", data="eng", out="reports")
    >>> os_error_message(args, IsADirectoryError(21, "Is a directory", "eng/accounts.csv"))
    'eng/accounts.csv: expected a file we can read, got Is a directory'
    >>> os_error_message(args, PermissionError(13, "Permission denied", "reports/x.html"))
    'reports/x.html: expected a path we can write, got Permission denied'
    """
    where = exc.filename or ""
    reason = exc.strerror or str(exc)
    names = {"read": READS.get(args.command, ()), "write": WRITES.get(args.command, ())}
    for verb in ("write", "read"):  # an output folder inside the data is still an output
        if where and any(_within(where, getattr(args, name, None)) for name in names[verb]):
            break
    else:  # a parent of the path, a temporary file: what the command does, if only one
        verb = "open" if all(names.values()) else "write" if names["write"] else "read"
    what = "a file we can read" if verb == "read" else f"a path we can {verb}"
    return f"{where}: expected {what}, got {reason}"


#: The signals that stop ``kam`` cleanly: Ctrl-C and ``kill``.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Stopped(KeyboardInterrupt):
    """``kam`` was asked to stop by a signal; ``code`` is its exit code (128 + the signal)."""

    def __init__(self, signum: int):
        self.name = signal.Signals(signum).name
        super().__init__(self.name)
        self.code = 128 + signum


def _stop(signum: int, frame) -> None:
    """Stop the run: once (a second Ctrl-C during the clean-up does not cut it short)."""
    for each in STOP_SIGNALS:
        signal.signal(each, signal.SIG_IGN)
    raise Stopped(signum)


def main(argv: list[str] | None = None) -> int:
    """Run ``kam``; return the exit code (0 ok, 1 bad input or failed run, 130/143 stopped).

    Ctrl-C (SIGINT) and SIGTERM stop a run cleanly: its workers and kernels stop, its
    staging files go, the reports written before stay as they were, and one line says so.
    """
    args = build_parser().parse_args(argv)
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {each: signal.signal(each, _stop) for each in STOP_SIGNALS}
    try:
        return args.func(args)
    except KeyboardInterrupt as exc:
        name = getattr(exc, "name", "SIGINT")
        print(
            f"kam {args.command}: stopped by {name}; nothing half-written was left, "
            "and the reports written before are as they were",
            file=sys.stderr,
        )
        return getattr(exc, "code", 128 + signal.SIGINT)
    except KamAnalysisError as exc:
        shown = "\n".join(plain(line) for line in str(exc).split("\n"))
        print(f"kam {args.command}: {shown}", file=sys.stderr)
        return 1
    except OSError as exc:  # a folder that cannot be written, a path that is a file, ...
        print(f"kam {args.command}: {os_error_message(args, exc)}", file=sys.stderr)
        return 1
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
