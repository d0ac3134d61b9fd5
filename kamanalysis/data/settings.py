"""Engagement settings: the user's values merged over the defaults, each one checked.

Examples
--------
>>> problems = []
>>> merged = merge_settings({"values": {"scales": {"rating": [0, 10]}}, "rows": {}}, problems)
>>> merged["scales"]["rating"], [p.expected for p in problems][:1]
([0, 10], ['a value (required)'])
"""

from __future__ import annotations

from ..base._validation import describe, is_blank, weights_total_ok
from ..base.account_terms import ANCHOR_ORDER
from ..base.errors import Problem
from ..base.input_terms import DECIMAL_MARKS
from ..base.markup import plain
from ..base.quarters import is_quarter
from ..base.schema import (
    LANGUAGES,
    REQUIRED_SETTINGS,
    SETTINGS_FILE,
    SETTINGS_SHEET,
    default_settings,
    flatten_settings,
)


def is_scale(value: object) -> bool:
    """Return True for a list ``[lo, hi]`` of two numbers with lo < hi."""
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        and value[0] < value[1]
    )


def merge_settings(raw: dict | None, problems: list[Problem]) -> dict:
    """Merge the user's settings over the defaults, checking each one."""
    settings = default_settings()
    if raw is None:
        return settings
    defaults = flatten_settings(settings)
    if "values" in raw:  # engagement.toml
        flat = flatten_settings(raw["values"])

        def where(key: str) -> dict:
            return {"file": SETTINGS_FILE, "column": key}
    else:  # workbook sheet
        flat = {}
        for key, value in raw["flat"].items():
            flat[key] = _from_cell(value, defaults.get(key))

        def where(key: str) -> dict:
            return {
                "file": raw["file"],
                "sheet": SETTINGS_SHEET,
                "row": raw["rows"].get(key),
                "column": f"value of {key}",
            }

    for group in {k.split(".")[1] for k in flat if k.startswith("weights.") and k.count(".") == 2}:
        # a weights group given replaces the defaults: a criterion left out weighs 0
        settings["weights"].get(group, {}).update(
            dict.fromkeys(settings["weights"].get(group, {}), 0.0)
        )
    for key, value in flat.items():
        if key not in defaults:
            known = ", ".join(sorted(k for k in defaults if k.split(".")[0] == key.split(".")[0]))
            problems.append(
                Problem(
                    **where(key),
                    expected=f"a known setting ({known})" if known else "a known setting",
                    found=f"unknown setting {key!r}",
                )
            )
            continue
        problem = _check_setting(key, value)
        if problem:
            problems.append(Problem(**where(key), expected=problem, found=describe(value)))
            continue
        section, *rest = key.split(".")
        node = settings[section]
        for part in rest[:-1]:
            node = node[part]
        # a control character (a terminal escape, a line break) in a name shows as a symbol
        node[rest[-1]] = plain(value) if isinstance(value, str) else value
    merged = flatten_settings(settings)
    for key in REQUIRED_SETTINGS:
        if is_blank(merged.get(key)):
            problems.append(
                Problem(
                    **where(key), expected="a value (required)", found="nothing", kind="missing"
                )
            )
    for group in ("attractiveness", "strength"):
        weights = settings["weights"][group]
        total = sum(v for v in weights.values() if _is_number(v))
        if all(_is_number(v) for v in weights.values()) and not weights_total_ok(total):
            problems.append(
                Problem(
                    **where(f"weights.{group}"),
                    expected="weights summing to 1 (or 100)",
                    found=f"a sum of {total:g}",
                    kind="weights",
                )
            )
    problems += _check_anchors(settings["anchors"], where)
    return settings


def _check_anchors(anchors: dict, where) -> list[Problem]:
    """Problems with the anchors: a floor above its target, bands not increasing."""
    problems = []
    for low, high in ANCHOR_ORDER:
        a, b = anchors.get(low), anchors.get(high)
        if _is_number(a) and _is_number(b) and not a < b:
            problems.append(
                Problem(
                    **where(f"anchors.{low}"),
                    expected=f"anchors.{low} below anchors.{high} ({b:g})",
                    found=f"{a:g}",
                    kind="anchors",
                )
            )
    return problems


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_setting(key: str, value: object) -> str | None:
    """Return what was expected when ``value`` is not acceptable for ``key``."""
    if key == "engagement.current_quarter":
        return None if is_quarter(value) else "a quarter written like 2026Q3"
    if key == "engagement.language":
        return None if value in LANGUAGES else "one of " + ", ".join(LANGUAGES)
    if key == "engagement.decimal":
        return None if value in DECIMAL_MARKS else 'one of "." or ","'
    if key.startswith("engagement."):
        return None if isinstance(value, str) else "text"
    if key.startswith("scales."):
        return None if is_scale(value) else "a list [lo, hi] of two numbers with lo < hi"
    if key.startswith("weights."):
        return None if _is_number(value) and value >= 0 else "a weight >= 0"
    if key.startswith("cuts."):
        return None if _is_number(value) else "a number"
    if key == "anchors.share_bands":
        ok = (
            isinstance(value, list)
            and len(value) == 4
            and all(_is_number(v) and 0 < v <= 1 for v in value)
            and value == sorted(set(value))
        )
        return None if ok else "four increasing shares between 0 and 1, like [0.5, 0.7, 0.85, 0.95]"
    if key.startswith("anchors."):
        return None if _is_number(value) else "a number"
    if key.startswith("capacity."):
        return None if _is_number(value) and value >= 1 else "a number >= 1"
    return None


def _from_cell(value: object, default: object) -> object:
    """Convert a workbook settings cell to the type of its default."""
    if isinstance(default, list) and isinstance(value, str):
        parts = [p.strip() for p in value.strip("[] ").split(",")]
        try:
            return [int(p) if p.lstrip("-").isdigit() else float(p) for p in parts]
        except ValueError:
            return value
    if isinstance(default, str) and value is not None and not isinstance(value, str):
        return str(value)
    if isinstance(default, float | int) and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return "" if value is None and isinstance(default, str) else value
