import pytest

import kamanalysis as kam
from kamanalysis.base.errors import Problem, raise_if_any


def test_error_family_is_exported_and_nested():
    assert issubclass(kam.InputValidationError, kam.KamAnalysisError)
    assert issubclass(kam.InputValidationError, ValueError)
    assert issubclass(kam.InvalidWeightsError, kam.InputValidationError)


def test_problem_names_file_sheet_row_column_expected_and_found():
    p = Problem("x.xlsx", "a rating from 1 to 5", "9", row=4, column="impact", sheet="pest")
    assert str(p) == "x.xlsx [pest] row 4, column impact: expected a rating from 1 to 5, got 9"
    span = Problem("f.csv", "weights summing to 1", "a sum of 1.05", row="2-11", column="weight")
    assert str(span).startswith("f.csv rows 2-11, column weight:")


def test_mixed_problems_raise_the_general_error():
    problems = [Problem("a", "x", "y", kind="weights"), Problem("b", "x", "y")]
    with pytest.raises(kam.InputValidationError) as info:
        raise_if_any(problems)
    assert type(info.value) is kam.InputValidationError
    assert info.value.problems == problems
    assert "2 problems found" in str(info.value)
