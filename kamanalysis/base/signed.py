"""Pickles signed with a run's secret key: a file another user swapped is refused, not run.

A report batch hands the validated tables and the group's positions to the notebooks as
pickles in the run's private folder (mode 0700). Unpickling runs code, so each file also
carries an HMAC-SHA256 of its content under a key drawn for the run and never written to
disk: a kernel gets it in its environment (:data:`KEY_VARIABLE`), and a file whose
signature does not match is refused before anything is unpickled.

Examples
--------
>>> import pathlib, tempfile
>>> key = new_key()
>>> path = dump({"a": 1}, pathlib.Path(tempfile.mkdtemp()) / "x.pkl", key)
>>> load(path, key)
{'a': 1}
>>> load(path, new_key())
Traceback (most recent call last):
...
kamanalysis.base.errors.KamAnalysisError: x.pkl: expected a file signed by this run, got one with another signature (written by someone else, or by another run): not read
"""  # noqa: E501

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from pathlib import Path

from .errors import KamAnalysisError

__all__ = ["KEY_VARIABLE", "dump", "load", "new_key"]

#: The environment variable that holds the run's key (hex) in a kernel.
KEY_VARIABLE = "KAMANALYSIS_RUN_KEY"
#: What a signed file starts with, before the 32-byte signature.
MAGIC = b"KAMSIGNED1\n"


def new_key() -> bytes:
    """Return a fresh random key (32 bytes) for one run."""
    return secrets.token_bytes(32)


def _key(key: bytes | str | None) -> bytes:
    if key is None:
        key = os.environ.get(KEY_VARIABLE, "")
    if isinstance(key, str):
        key = bytes.fromhex(key)
    if not key:
        raise KamAnalysisError(
            f"no key to check a signed file with: a batch sets {KEY_VARIABLE} in its kernels"
        )
    return key


def dumps(obj, key: bytes | str) -> bytes:
    """Return ``obj`` pickled, preceded by its signature under ``key``."""
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + hmac.new(_key(key), body, hashlib.sha256).digest() + body


def loads(blob: bytes, key: bytes | str | None = None, name: str = "the file"):
    """Unpickle ``blob`` if its signature matches ``key`` (default: :data:`KEY_VARIABLE`)."""
    key = _key(key)
    n = len(MAGIC)
    head, sig, body = blob[:n], blob[n : n + 32], blob[n + 32 :]
    good = hmac.new(key, body, hashlib.sha256).digest()
    if head != MAGIC or not hmac.compare_digest(sig, good):
        raise KamAnalysisError(
            f"{name}: expected a file signed by this run, got one with another signature "
            "(written by someone else, or by another run): not read"
        )
    return pickle.loads(body)  # signed by this run: checked above


def dump(obj, path: str | Path, key: bytes | str) -> Path:
    """Write ``obj`` signed to ``path`` (created readable by its owner only); return the path."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(dumps(obj, key))
    return path


def load(path: str | Path, key: bytes | str | None = None):
    """Read an object written by :func:`dump`, refusing it unless signed with ``key``."""
    path = Path(path)
    return loads(path.read_bytes(), key, name=path.name)
