import pytest

from kamanalysis.base.quarters import is_quarter, parse_quarter, quarter_range, shift_quarter


@pytest.mark.parametrize("label", ["2026-3", "2026Q0", "2026Q5", "26Q3", "2026q3", "", None, 2026])
def test_bad_quarter_labels_are_rejected(label):
    assert not is_quarter(label)
    with pytest.raises(ValueError, match="2026Q3"):
        parse_quarter(label)


def test_quarter_arithmetic_crosses_years():
    assert shift_quarter("2024Q4", 1) == "2025Q1"
    assert shift_quarter("2025Q1", -5) == "2023Q4"
    assert quarter_range("2024Q4", "2026Q3")[0] == "2024Q4"
    assert len(quarter_range("2024Q4", "2026Q3")) == 8
    assert quarter_range("2026Q3", "2026Q2") == []
