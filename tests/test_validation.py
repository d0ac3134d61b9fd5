"""Properties of the cell parser: every value on the declared scale passes, nothing off it does."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from kamanalysis.base._validation import weights_total_ok
from kamanalysis.base.schema import TABLES
from kamanalysis.data.reading import parse_cell

RATING = TABLES["forces"].column("rating")
SCALES = {"rating": (1, 5)}


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_rating_accepted_exactly_on_its_scale(x):
    value, found = parse_cell(repr(x), RATING, SCALES)
    if 1 <= x <= 5:
        assert found is None and value == x
    else:
        assert value is None and found is not None


@given(st.text())
def test_parser_never_raises_on_any_text(text):
    for table in TABLES.values():
        for column in table.columns:
            value, found = parse_cell(text, column, SCALES)
            assert (value is None) or (found is None)


@given(st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=20))
def test_normalised_weights_always_pass(weights):
    total = sum(weights)
    if total > 0:
        assert weights_total_ok(math.fsum(w / total for w in weights))
        assert weights_total_ok(math.fsum(100 * w / total for w in weights))
