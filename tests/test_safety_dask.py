"""Issue 23, part 7: Dask runs kept apart, ``--scheduler`` checked, TLS supported.

A run that ends stops only its own idle kernels and deletes only its own files on the
workers, so concurrent runs on one cluster do not touch each other; a bad scheduler
address or a ``tls://`` one without certificates is a clear message, not a traceback;
with certificates, a run over TLS writes the same report.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kamanalysis.base.errors import InputValidationError
from kamanalysis.cli import main
from kamanalysis.data.sample import generate
from kamanalysis.data.workbook import write_folder
from kamanalysis.report import engine, run_reports


class FakeKernel:
    """A kernel as :func:`engine._finish_on_worker` sees it: its run, busy or not."""

    def __init__(self, run: str, busy: bool):
        self.run, self.busy, self.retired, self.stopped = run, busy, False, False

    def shutdown(self):
        self.stopped = True


def test_a_run_that_ends_stops_only_its_own_idle_kernels(monkeypatch, tmp_path):
    kernels = {
        "a idle": FakeKernel("run-a", busy=False),
        "a busy": FakeKernel("run-a", busy=True),  # cannot happen at the end of run a: kept
        "b idle": FakeKernel("run-b", busy=False),
        "b busy": FakeKernel("run-b", busy=True),  # run b's BU is running in it right now
    }
    monkeypatch.setattr(engine, "_ALL_KERNELS", list(kernels.values()))
    monkeypatch.setattr(engine, "_MATERIALISED", {})
    monkeypatch.setattr(engine.tempfile, "tempdir", str(tmp_path))
    files = {engine.SNAPSHOT: b"a", engine.POSITIONS: b"b"}
    a, b = (Path(engine._materialise(files, run)) for run in ("run-a", "run-b"))
    assert engine._finish_on_worker("run-a") == 1
    assert {name for name, k in kernels.items() if k.stopped} == {"a idle"}
    assert kernels["a idle"].retired and not kernels["b idle"].retired
    assert not a.exists() and b.exists()
    assert engine._ALL_KERNELS == [kernels["a busy"], kernels["b idle"], kernels["b busy"]]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scheduler", "notaurl"], "expected a scheduler address, tcp://HOST:PORT or tls"),
        (["--scheduler", "tcp://host"], 'got "tcp://host"'),
        (["--scheduler", "http://host:8786"], "expected a scheduler address"),
        (["--scheduler", "tls://127.0.0.1:9"], "expected the certificates to reach tls://"),
        (["--scheduler", "tcp://127.0.0.1:9", "--tls-cert", "c.pem"], "expected a tls:// address"),
        (["--tls-cert", "c.pem"], "--tls-*: expected a tls:// --scheduler"),
        (
            ["--scheduler", "tls://127.0.0.1:9", "--tls-ca-file", "no-such.pem"],
            '--tls-ca-file: expected a file, got "no-such.pem"',
        ),
    ],
)
def test_a_bad_scheduler_is_a_clear_message_before_anything_runs(
    argv, message, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "no-data-needed", "--out", "out", *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_the_library_checks_the_scheduler_too(tmp_path):
    with pytest.raises(InputValidationError, match="expected a scheduler address"):
        run_reports(tmp_path, tmp_path / "out", scheduler="localhost", progress=False)


def certificates(folder: Path) -> dict[str, str]:
    """A certificate authority and one certificate it signed for 127.0.0.1 (openssl)."""

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=kam-test-ca")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr",
            "-subj", "/CN=localhost")  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "node.pem", "-days", "2", "-extfile", "san.ext")  # fmt: skip
    return {"ca_file": str(folder / "ca.pem"), "cert": str(folder / "node.pem"),
            "key": str(folder / "node.key")}  # fmt: skip


@pytest.mark.slow
def test_a_run_over_tls_writes_the_report(tmp_path):
    distributed = pytest.importorskip("distributed")
    settings, tables = generate(n_bus=1, n_accounts=20, seed=5)
    data = write_folder(settings, tables, tmp_path / "data")
    tls = certificates(tmp_path)
    node = {"cert": tls["cert"], "key": tls["key"]}
    security = distributed.Security(
        tls_ca_file=tls["ca_file"],
        **{
            f"tls_{who}_{k}": v
            for who in ("scheduler", "worker", "client")
            for k, v in node.items()
        },
        require_encryption=True,
    )
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tls",
        security=security,
        dashboard_address=None,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tls://")
        bu = tables["business_units"]["bu_id"].iloc[0]
        result = run_reports(
            data, tmp_path / "out", scheduler=cluster.scheduler_address, tls=tls, progress=False
        )
    assert set(result.reports) == {bu} and result.failures == {}
    assert "<img alt=" in result.reports[bu].read_text(encoding="utf-8")
