"""What a report run shows while it works: the load step, then a bar over BUs.

On a terminal (standard error a TTY) a tqdm bar says ``loading engagement`` while the data
are read and checked, then counts the BUs written, with the BUs the workers are on
(``running PV, IC``) and the last one done. Elsewhere (a log file, CI, a pipe) nothing is
redrawn: one line for the load and one line per BU done. ``enabled=False`` (``kam report
--quiet``) shows nothing; failures are printed either way.

Examples
--------
>>> import io
>>> shown = io.StringIO()
>>> progress = Progress(file=shown)
>>> progress.loading()
>>> progress.start(2)
>>> progress.running(["PV", "IC"])
>>> progress.done("PV")
>>> progress.done("IC", failed=True)
>>> progress.close()
>>> print(shown.getvalue(), end="")
loading engagement
reports 1/2: PV written
reports 2/2: IC failed
"""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm


class Progress:
    """The load step and a bar over BUs, redrawn on a terminal, one line each elsewhere."""

    def __init__(self, enabled: bool = True, *, file: TextIO | None = None):
        self.file = file if file is not None else sys.stderr
        self.enabled = enabled
        isatty = getattr(self.file, "isatty", None)
        self.live = enabled and bool(isatty and isatty())
        self.bar: tqdm | None = None
        self.total = self.count = 0

    def loading(self) -> None:
        """Say that the engagement is being loaded and checked."""
        if self.live:
            self.bar = tqdm(
                desc="loading engagement", bar_format="{desc}", file=self.file, leave=False
            )
        elif self.enabled:
            print("loading engagement", file=self.file, flush=True)

    def start(self, total: int) -> None:
        """Count ``total`` BUs from now on (the data are loaded)."""
        self.total = total
        if self.live:
            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(total=total, desc="reports", unit="BU", file=self.file)

    def running(self, bus: list[str]) -> None:
        """Show the BUs the workers are on."""
        if self.live and self.bar is not None and bus:
            self.bar.set_postfix_str("running " + ", ".join(bus), refresh=True)

    def done(self, bu: str, *, failed: bool = False) -> None:
        """One more BU is done (written, or ``failed``)."""
        self.count += 1
        what = "failed" if failed else "written"
        if self.live and self.bar is not None:
            self.bar.set_postfix_str(f"{bu} {what}", refresh=False)
            self.bar.update(1)
        elif self.enabled:
            print(f"reports {self.count}/{self.total}: {bu} {what}", file=self.file, flush=True)

    def write(self, line: str) -> None:
        """Print a line (a failure) to standard output, above the bar if there is one."""
        tqdm.write(line)

    def close(self) -> None:
        """Close the bar, if one is shown."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
