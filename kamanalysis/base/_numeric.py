"""Small numeric helpers shared by the analysis modules."""

from __future__ import annotations

import numpy as np
import pandas as pd


def safe_divide(numerator, denominator):
    """Divide element-wise; a zero (or missing) denominator gives NaN, never inf.

    Examples
    --------
    >>> safe_divide(pd.Series([1.0, 2.0]), pd.Series([2.0, 0.0])).tolist()
    [0.5, nan]
    >>> safe_divide(3.0, 0.0)
    nan
    """
    if isinstance(numerator, pd.Series | pd.DataFrame) or isinstance(
        denominator, pd.Series | pd.DataFrame
    ):
        denominator = (
            denominator.where(denominator != 0)
            if hasattr(denominator, "where")
            else (np.nan if denominator == 0 else denominator)
        )
        return numerator / denominator
    if denominator == 0 or pd.isna(denominator):
        return float("nan")
    return numerator / denominator
