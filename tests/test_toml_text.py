"""engagement.toml written with tomli-w: whatever the settings hold, tomllib reads it back."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamanalysis.base import paths
from kamanalysis.data.workbook import toml_text

AWKWARD = [
    "line one\nline two",
    'He said "no"',
    "C:\\Users\\kam\\data",
    "华信工业集团 — 大客户",
    "tab\there, \x7f and \x00 and \x1b[31m",
    "ends with a backslash \\",
    "''' and \"\"\"",
    "a, b ]\n    c,",  # looks like the inside of a multi-line array
    "😀",
]


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_strings_round_trip(text):
    settings = {
        "engagement": {"name": text, "client": text},
        "weights": {"attractiveness": {"margin": 0.15}},
        "anchors": {"labels": [text, "x"], "share_bands": [0.5, 0.7]},
    }
    written = toml_text(settings)
    assert tomllib.loads(written) == settings


def test_awkward_keys_round_trip():
    settings = {"odd table": {"key with spaces": 1, "dotted.key": "x", "中文": [1, 2]}}
    assert tomllib.loads(toml_text(settings)) == settings


def test_the_sample_settings_are_written_as_committed():
    committed = (paths.SAMPLE_DATA / "engagement.toml").read_text(encoding="utf-8")
    written = toml_text(tomllib.loads(committed))
    assert written == committed
    assert "rating = [1, 5]" in written  # short arrays stay on their key's line


def test_a_long_array_stays_one_element_a_line():
    written = toml_text({"t": {"names": ["x" * 40, "y" * 40, "z" * 40]}})
    assert '    "' + "x" * 40 + '",\n' in written
    assert tomllib.loads(written) == {"t": {"names": ["x" * 40, "y" * 40, "z" * 40]}}


scalars = st.one_of(
    st.text(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
)
keys = st.text(min_size=1, max_size=10)


@given(
    st.dictionaries(
        keys,
        st.dictionaries(keys, st.one_of(scalars, st.lists(scalars, max_size=5)), max_size=5),
        min_size=1,
        max_size=4,
    )
)
def test_any_settings_round_trip(settings):
    assert tomllib.loads(toml_text(settings)) == settings
