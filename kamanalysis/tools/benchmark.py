"""Benchmarking against the industry's leaders (标杆对比): competitive strength and boards.

The table is a competitive profile matrix in tidy form: one row per factor and
company, with the factor's ``weight`` (the same for every company) and the company's
``rating`` on that factor. Other columns (``role``, ``bu_id``, ...) are ignored.

- **Weighted score** of a company: ``sum(weight x rating)`` with the weights as
  fractions (percent weights are divided by 100), through
  :func:`kamanalysis.core.scoring.weighted_score`.
- **Leader**: the company with the highest weighted score. **Tie rule**
  (:data:`TIE_RULE`): among companies with the same score (to 1e-9), the one with the
  higher rating on the heaviest factor leads, then on the next heaviest, and so on
  (factors of equal weight in name order); a tie that survives every factor goes to
  the company whose name sorts first. Ranks (1 = best) follow the same order, so they
  are unique and ``rank == 1`` is the leader.
- ``gap_to_leader`` = company score − leader score (≤ 0); ``index_to_leader`` =
  company score / leader score × 100 (NaN when the leader scores 0).
- **Long and short boards** (长板 / 短板) of the focal company: factors where its
  rating is above (long) or below (short) the reference company's, ranked by
  ``weight × gap``. The reference is the leader; when the focal company is itself the
  leader, it is the runner-up (rank 2). Gaps smaller than ``min_gap`` (default
  :data:`BOARD_MIN_GAP`) count as even.
- **Best in class**: the highest rating any company has on the factor.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"factor": ["price", "price", "quality", "quality"],
...                   "weight": [0.4, 0.4, 0.6, 0.6], "company": ["us", "them"] * 2,
...                   "rating": [4, 3, 2, 4]})
>>> competitive_strength(t, focal="us")  # doctest: +NORMALIZE_WHITESPACE
         weighted_score  rank  gap_to_leader  index_to_leader
company
them                3.6     1            0.0       100.000000
us                  2.8     2           -0.8        77.777778
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..base._numeric import safe_divide
from ..base._validation import describe, rating_problem, require_columns
from ..base.errors import InputValidationError, Problem, raise_if_any
from ..base.i18n import label, text
from ..base.quarters import is_quarter
from ..base.schema import BENCHMARK_ROLES
from ..core.charts import COLORS, CYCLE, get_axes, legend_outside, radar
from ..core.scoring import check_weights, weighted_score

#: How a tie for leader is broken (also the order of equal scores in ``rank``).
TIE_RULE = (
    "higher rating on the heaviest factor, then the next heaviest (equal weights in "
    "factor-name order); then the company name in alphabetical order"
)
#: A rating difference smaller than this is "even", neither a long nor a short board.
BOARD_MIN_GAP = 0.0
#: How many long and short boards the radar marks (each).
RADAR_MARKS = 3
#: Radar scale modes: a fixed shared scale, min-max per axis, or indexed to the leader.
SCALE_MODES = ("fixed", "minmax", "leader")
COLUMNS = ("factor", "weight", "company", "rating")
WHERE = "competitive_strength"


@dataclass(frozen=True)
class BenchmarkResult:
    """A competitive profile scored for one focal company.

    Attributes
    ----------
    companies : DataFrame
        :func:`competitive_strength`: indexed by company, best first.
    factors : DataFrame
        :func:`compare_factors`: indexed by factor, heaviest first.
    ratings : DataFrame
        Ratings, factors (heaviest first) x companies (best first).
    focal, leader, reference : str
        The focal company, the leader, and the company the boards are measured against.
    scale : (lo, hi) or None
        The rating scale the ratings were checked against.
    leaders : tuple of str
        The leader (rank 1) and, in rank order, every other company whose ``role`` in
        the table is ``leader``; the focal company left out (empty when it leads and no
        other company has role ``leader``).
    """

    companies: pd.DataFrame
    factors: pd.DataFrame
    ratings: pd.DataFrame
    focal: str
    leader: str
    reference: str
    scale: tuple[float, float] | None
    leaders: tuple[str, ...] = ()

    @property
    def boards(self) -> pd.DataFrame:
        """Long boards then short boards, each ranked by ``weight × |gap|`` (see :func:`boards`)."""
        return _boards(self.factors)


def _check(table: pd.DataFrame, focal: str | None, scale, where: str):
    """Validate a tidy competitive profile; return (weights as fractions, ratings wide)."""
    require_columns(table, COLUMNS, where=where)
    data = table.loc[:, list(COLUMNS)].reset_index(drop=True)
    problems: list[Problem] = []
    if data.empty:
        raise InputValidationError([Problem(where, "at least one rated factor", "no rows")])
    factors = sorted(data["factor"].astype(str).unique())
    companies = sorted(data["company"].astype(str).unique())
    data["factor"] = data["factor"].astype(str)
    data["company"] = data["company"].astype(str)
    if focal is not None and focal not in companies:
        problems.append(
            Problem(
                where,
                f"the focal company among the companies rated ({', '.join(companies)})",
                describe(focal),
                column="company",
            )
        )
    weights = pd.to_numeric(data["weight"], errors="coerce")
    ratings = pd.to_numeric(data["rating"], errors="coerce")
    factor_weight = {}
    for factor in factors:
        rows = data["factor"] == factor
        given = weights[rows]
        distinct = sorted(set(given.dropna().tolist()))
        if given.isna().any():
            bad = data.loc[rows & weights.isna(), "weight"].iloc[0]
            problems.append(
                Problem(
                    where,
                    "a number >= 0",
                    describe(bad),
                    column=f"weight of factor {factor!r}",
                    kind="weights",
                )
            )
        elif len(distinct) > 1:
            problems.append(
                Problem(
                    where,
                    "one weight per factor, the same for every company",
                    "weights " + ", ".join(f"{w:g}" for w in distinct),
                    column=f"weight of factor {factor!r}",
                    kind="weights",
                )
            )
        else:
            factor_weight[factor] = distinct[0]
    counts = data.groupby(["company", "factor"]).size()
    for (company, factor), n in counts.items():
        if n > 1:
            problems.append(
                Problem(
                    where,
                    "one rating per company and factor",
                    f"{n} rows",
                    column=f"rating of {factor!r} for {company!r}",
                )
            )
    roles = {}
    if "role" in table.columns:
        roles = dict(zip(data["company"], table["role"].astype(str).to_numpy(), strict=True))
    for company in companies:
        rated = set(data.loc[data["company"] == company, "factor"])
        role = f" (role {roles[company]})" if company in roles else ""
        for factor in factors:
            if factor not in rated:
                problems.append(
                    Problem(
                        where,
                        "every company rated on the same factors",
                        f"no rating of {factor!r} for {company!r}{role}",
                        column="rating",
                    )
                )
    for company, factor, raw, value in zip(
        data["company"], data["factor"], data["rating"], ratings, strict=True
    ):
        label = f"rating of {factor!r} for {company!r}"
        problem = rating_problem(raw, float(value), scale, where=where, column=label)
        if problem is not None:
            problems.append(problem)
    raise_if_any(problems)
    w = check_weights(pd.Series(factor_weight, dtype="float64"), where=where)
    wide = (
        data.assign(rating=ratings)
        .pivot(index="factor", columns="company", values="rating")
        .astype("float64")
    )
    order = sorted(factors, key=lambda f: (-w[f], f))
    return w.reindex(order), wide.reindex(index=order, columns=companies)


def _ranked(weights: pd.Series, wide: pd.DataFrame) -> pd.DataFrame:
    """Scores, and companies in rank order by score then :data:`TIE_RULE`."""
    scores = weighted_score(wide, weights)
    keys = {
        c: (-round(scores[c], 9), *(-wide.at[f, c] for f in weights.index), c) for c in wide.columns
    }
    order = sorted(wide.columns, key=keys.__getitem__)
    frame = pd.DataFrame({"weighted_score": scores.reindex(order).astype("float64")})
    frame["rank"] = np.arange(1, len(order) + 1)
    leader = frame["weighted_score"].iloc[0]
    frame["gap_to_leader"] = frame["weighted_score"] - leader
    frame["index_to_leader"] = safe_divide(frame["weighted_score"], leader) * 100
    frame.index.name = "company"
    return frame


def competitive_strength(
    table: pd.DataFrame, *, focal: str | None, scale: tuple[float, float] | None = None
) -> pd.DataFrame:
    """Weighted competitive strength of every company, its rank and distance to the leader.

    Parameters
    ----------
    table : DataFrame
        Tidy: ``factor``, ``weight``, ``company``, ``rating`` (other columns ignored;
        row order does not matter). Usually one BU and quarter of the ``benchmark`` table.
    focal : str or None
        The company the analysis is for (the BU itself); it must be in the table.
        None skips that check.
    scale : (lo, hi), optional
        The rating scale; ratings outside it are an error. None: not checked.

    Returns
    -------
    DataFrame
        Indexed by company, best first: ``weighted_score``, ``rank`` (1 = the leader;
        ties broken by :data:`TIE_RULE`), ``gap_to_leader`` (company − leader),
        ``index_to_leader`` (company / leader × 100). ``attrs`` hold ``focal``,
        ``leader`` and ``scale``.

    Raises
    ------
    InputValidationError
        A focal company not in the table; companies rated on different factor sets
        (each missing rating named by company and factor); two weights for one factor;
        a company rated twice on a factor; a rating missing or off the scale.
    InvalidWeightsError
        Weights negative or not summing to 1 (or 100).

    Examples
    --------
    David's competitive profile matrix, Table 3-14 (see ``tests/test_benchmark.py``),
    shortened to two factors here:

    >>> import pandas as pd
    >>> t = pd.DataFrame({"factor": ["share"] * 2 + ["price"] * 2, "weight": [60, 60, 40, 40],
    ...                   "company": ["A", "B"] * 2, "rating": [3, 4, 4, 2]})
    >>> r = competitive_strength(t, focal="A", scale=(1, 4))
    >>> r.index.tolist(), r.attrs["leader"]
    (['A', 'B'], 'A')
    >>> competitive_strength(t, focal="C")
    Traceback (most recent call last):
    ...
    kamanalysis.base.errors.InputValidationError: 1 problem found:
      - competitive_strength, column company: expected the focal company among the \
companies rated (A, B), got "C"
    """
    weights, wide = _check(table, focal, scale, WHERE)
    frame = _ranked(weights, wide)
    frame.attrs = {"focal": focal, "leader": frame.index[0], "scale": scale}
    return frame


def compare_factors(
    table: pd.DataFrame,
    *,
    focal: str,
    scale: tuple[float, float] | None = None,
    min_gap: float = BOARD_MIN_GAP,
) -> pd.DataFrame:
    """Compare the focal company factor by factor with the leader and the best in class.

    Returns
    -------
    DataFrame
        Indexed by factor, heaviest first (equal weights in name order): ``weight``
        (fraction), ``focal`` (its rating), ``leader`` (the leader's rating),
        ``best_in_class`` (the highest rating of any company), ``best_company`` (who has
        it; ties: the company name first in alphabetical order), ``gap_to_leader``,
        ``gap_to_best`` (focal − best, ≤ 0), ``reference`` (the rating of the company the
        boards are measured against: the leader, or the runner-up when the focal
        company leads), ``gap`` (focal − reference), ``weighted_gap`` (weight × gap) and
        ``board`` (``long``, ``short`` or ``even``; even when ``|gap| <= min_gap``).
        ``attrs`` hold ``focal``, ``leader`` and ``reference``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"factor": ["share"] * 3 + ["price"] * 3, "weight": [0.6] * 3 + [0.4] * 3,
    ...                   "company": ["A", "B", "C"] * 2, "rating": [3, 5, 2, 4, 3, 5]})
    >>> f = compare_factors(t, focal="A")
    >>> cols = ["focal", "leader", "best_in_class", "best_company", "gap", "board"]
    >>> f[cols]  # doctest: +NORMALIZE_WHITESPACE
            focal  leader  best_in_class best_company  gap  board
    factor
    share     3.0     5.0            5.0            B -2.0  short
    price     4.0     3.0            5.0            C  1.0   long
    """
    return score_benchmark(table, focal=focal, scale=scale, min_gap=min_gap).factors


def score_benchmark(
    table: pd.DataFrame,
    *,
    focal: str,
    scale: tuple[float, float] | None = None,
    min_gap: float = BOARD_MIN_GAP,
) -> BenchmarkResult:
    """Score a competitive profile once: companies, factors, boards (see the module notes).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"factor": ["share"] * 2 + ["price"] * 2, "weight": [0.6] * 2 + [0.4] * 2,
    ...                   "company": ["A", "B"] * 2, "rating": [3, 4, 4, 2]})
    >>> r = score_benchmark(t, focal="A")
    >>> r.leader, r.reference, r.boards["board"].tolist()
    ('A', 'B', ['long', 'short'])
    """
    if focal is None:
        raise InputValidationError(
            [Problem("score_benchmark", "the focal company's name", "None", column="focal")]
        )
    weights, wide = _check(table, focal, scale, "score_benchmark")
    companies = _ranked(weights, wide)
    leader = companies.index[0]
    reference = leader if focal != leader or len(companies) == 1 else companies.index[1]
    companies.attrs = {"focal": focal, "leader": leader, "scale": scale}
    ratings = wide.loc[:, list(companies.index)]
    best = ratings.max(axis=1)
    best_company = ratings.eq(best, axis=0).apply(
        lambda row: sorted(c for c in row.index if row[c])[0], axis=1
    )
    f = pd.DataFrame({"weight": weights})
    f["focal"] = ratings[focal]
    f["leader"] = ratings[leader]
    f["best_in_class"] = best
    f["best_company"] = best_company
    f["gap_to_leader"] = f["focal"] - f["leader"]
    f["gap_to_best"] = f["focal"] - f["best_in_class"]
    f["reference"] = ratings[reference]
    f["gap"] = f["focal"] - f["reference"]
    f["weighted_gap"] = f["weight"] * f["gap"]
    f["board"] = np.where(
        f["gap"] > min_gap, "long", np.where(f["gap"] < -min_gap, "short", "even")
    )
    f.index.name = "factor"
    f.attrs = {"focal": focal, "leader": leader, "reference": reference}
    named = set()
    if "role" in table.columns:
        roles = table.loc[:, ["company", "role"]].astype(str)
        named = set(roles.loc[roles["role"] == BENCHMARK_ROLES[1], "company"])
    leaders = tuple(c for c in companies.index if c != focal and (c == leader or c in named))
    return BenchmarkResult(companies, f, ratings, focal, leader, reference, scale, leaders)


def _boards(factors: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for name, ascending in (("long", False), ("short", True)):
        part = factors.loc[factors["board"] == name]
        keys = part["weighted_gap"] if ascending else -part["weighted_gap"]
        order = sorted(part.index, key=lambda f, k=keys: (k[f], f))
        part = part.loc[order, ["weight", "focal", "reference", "gap", "weighted_gap", "board"]]
        part.insert(0, "rank", np.arange(1, len(part) + 1))
        parts.append(part)
    out = pd.concat(parts)
    out.attrs = dict(factors.attrs)
    return out


def boards(
    table: pd.DataFrame,
    *,
    focal: str,
    scale: tuple[float, float] | None = None,
    min_gap: float = BOARD_MIN_GAP,
) -> pd.DataFrame:
    """Rank the focal company's long boards (strengths) and short boards (weaknesses).

    Returns
    -------
    DataFrame
        Indexed by factor: ``rank`` (within its board), ``weight``, ``focal``,
        ``reference`` (the leader's rating, or the runner-up's when the focal company
        leads), ``gap``, ``weighted_gap`` (weight × gap) and ``board``. Long boards
        first, the largest ``weight × gap`` first; then short boards, the most negative
        first. Even factors are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"factor": list("abcabc"), "weight": [0.5, 0.3, 0.2] * 2,
    ...                   "company": ["us"] * 3 + ["lead"] * 3, "rating": [2, 5, 3, 4, 3, 3]})
    >>> b = boards(t, focal="us")
    >>> b[["rank", "gap", "weighted_gap", "board"]]  # doctest: +NORMALIZE_WHITESPACE
            rank  gap  weighted_gap  board
    factor
    b          1  2.0           0.6   long
    a          1 -2.0          -1.0  short
    """
    return score_benchmark(table, focal=focal, scale=scale, min_gap=min_gap).boards


def strength_over_time(
    table: pd.DataFrame, *, focal: str, scale: tuple[float, float] | None = None
) -> pd.DataFrame:
    """Return the focal company's score, rank and index to the leader in every quarter.

    Parameters
    ----------
    table : DataFrame
        The tidy profile with a ``quarter`` column: one competitive profile per quarter.
    focal : str
        Must be rated in every quarter (otherwise an error names the quarter).

    Returns
    -------
    DataFrame
        Indexed by quarter (oldest first): ``weighted_score``, ``rank``, ``companies``,
        ``leader``, ``leader_score``, ``gap_to_leader``, ``index_to_leader``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"quarter": ["2026Q1"] * 2 + ["2026Q2"] * 2, "factor": ["f"] * 4,
    ...                   "weight": [1.0] * 4, "company": ["us", "lead"] * 2,
    ...                   "rating": [4, 3, 2, 3]})
    >>> h = strength_over_time(t, focal="us")
    >>> h[["weighted_score", "rank", "leader"]]  # doctest: +NORMALIZE_WHITESPACE
             weighted_score  rank leader
    quarter
    2026Q1              4.0     1     us
    2026Q2              2.0     2   lead
    """
    where = "strength_over_time"
    require_columns(table, ("quarter", *COLUMNS), where=where)
    problems = [
        Problem(where, "a quarter written like 2026Q3", describe(q), column="quarter")
        for q in sorted(set(table["quarter"].astype(str)))
        if not is_quarter(q)
    ]
    raise_if_any(problems)
    records = {}
    errors: list[Problem] = []
    for quarter, part in table.groupby(table["quarter"].astype(str), sort=True):
        try:
            scored = competitive_strength(part, focal=focal, scale=scale)
        except InputValidationError as exc:
            errors.extend(
                Problem(f"{where} {quarter}", p.expected, p.found, column=p.column, kind=p.kind)
                for p in exc.problems
            )
            continue
        row = scored.loc[focal]
        records[quarter] = {
            "weighted_score": row["weighted_score"],
            "rank": int(row["rank"]),
            "companies": len(scored),
            "leader": scored.index[0],
            "leader_score": scored["weighted_score"].iloc[0],
            "gap_to_leader": row["gap_to_leader"],
            "index_to_leader": row["index_to_leader"],
        }
    raise_if_any(errors)
    frame = pd.DataFrame.from_dict(records, orient="index")
    frame.index.name = "quarter"
    return frame


def _radar_values(result: BenchmarkResult, names: list[str], mode: str, lang: str = "en"):
    """Values per series and the radar scales for a scale mode."""
    ratings = result.ratings[names]
    if mode == "leader":
        leader = result.ratings[result.leader]
        values = ratings.apply(lambda col: safe_divide(col, leader) * 100)
        top = float(np.nanmax(values.to_numpy())) if values.notna().any().any() else 100.0
        hi = max(125.0, math.ceil(top / 25) * 25)
        return values, (0.0, hi), text("chart.benchmark.scale_leader", lang)
    if mode == "minmax":
        all_ratings = result.ratings
        lo = all_ratings.min(axis=1)
        hi = all_ratings.max(axis=1)
        same = lo == hi
        lo = lo.where(~same, lo - 1)
        hi = hi.where(~same, hi + 1)
        scales = list(zip(lo.tolist(), hi.tolist(), strict=True))
        return ratings, scales, text("chart.benchmark.scale_minmax", lang)
    if result.scale is not None:
        scale = tuple(float(v) for v in result.scale)
    else:
        scale = (min(0.0, float(result.ratings.min().min())), float(result.ratings.max().max()))
    return ratings, scale, text("chart.benchmark.scale_fixed", lang, lo=scale[0], hi=scale[1])


def plot_benchmark_radar(
    result: BenchmarkResult,
    *,
    ax: Axes | None = None,
    rivals: str = "leaders",
    scale_mode: str = "fixed",
    marks: int = RADAR_MARKS,
    lang: str = "en",
) -> Axes:
    """Radar of the focal company against the leader(s), long and short boards marked.

    Parameters
    ----------
    result : BenchmarkResult
        From :func:`score_benchmark`.
    ax : Axes, optional
        A polar Axes (``kamanalysis.core.charts.get_axes(None, polar=True)`` or
        ``plt.subplots(subplot_kw={"projection": "polar"})``); a new one when omitted.
        A non-polar Axes raises an error that says how to make one.
    rivals : ``"leaders"`` or ``"all"``
        ``"leaders"``: the result's ``leaders`` (the leader and every company with role
        ``leader``; the runner-up when the focal company leads). ``"all"``: every
        company rated.
    scale_mode : ``"fixed"``, ``"minmax"`` or ``"leader"``
        ``fixed``: one shared scale (the result's rating scale; without one, 0 to the
        highest rating). ``minmax``: each axis from the lowest to the highest rating any
        company has on it (an axis where all are equal spans the value ± 1).
        ``leader``: every rating divided by the leader's on the same factor × 100, so
        the leader is a circle at 100.
    marks : int
        How many long and how many short boards to mark (the heaviest ``weight × |gap|``).
    lang : str
        ``en`` or ``zh``: the language of the title, the scale and the legend.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> t = pd.DataFrame({"factor": list("abcabc"), "weight": [0.5, 0.3, 0.2] * 2,
    ...                   "company": ["us"] * 3 + ["lead"] * 3, "rating": [2, 5, 3, 4, 3, 3]})
    >>> ax = plot_benchmark_radar(score_benchmark(t, focal="us", scale=(1, 5)))
    >>> ax.name, [t.get_text() for t in ax.get_xticklabels()]
    ('polar', ['a ▼', 'b ▲', 'c'])
    """
    where = "plot_benchmark_radar"
    ax = get_axes(ax, figsize=(7, 7), polar=True, where=where)
    problems = []
    if scale_mode not in SCALE_MODES:
        problems.append(
            Problem(
                where, "one of " + ", ".join(SCALE_MODES), describe(scale_mode), column="scale_mode"
            )
        )
    if rivals not in ("leaders", "all"):
        problems.append(Problem(where, "one of leaders, all", describe(rivals), column="rivals"))
    raise_if_any(problems)
    ranked = list(result.companies.index)
    if rivals == "all":
        others = [c for c in ranked if c != result.focal]
    else:
        others = list(result.leaders) or [c for c in (result.reference,) if c != result.focal]
    names = [result.focal, *others]
    values, scales, scale_text = _radar_values(result, names, scale_mode, lang)
    colors = {result.focal: COLORS["focal"]}
    styles = {}
    for i, name in enumerate(others):
        if name == result.leader:
            colors[name] = COLORS["leader"]
            styles[name] = "--"
        elif name in result.leaders:
            colors[name] = CYCLE[2 + i % (len(CYCLE) - 2)]
            styles[name] = "--"
        else:
            colors[name] = CYCLE[2 + i % (len(CYCLE) - 2)] if rivals == "all" else COLORS["other"]
            styles[name] = ":"
    factors = list(result.factors.index)
    chosen = result.boards.groupby("board", sort=False).head(marks)
    symbol = {"long": " ▲", "short": " ▼"}
    labels = [f + symbol.get(chosen["board"].get(f, ""), "") for f in factors]
    # one series is "the leader" (first by strength); others the data name leader say so
    series = {
        (
            text("chart.benchmark.leader", lang, name=n)
            if n == result.leader and n != result.focal
            else text("chart.benchmark.named_leader", lang, name=n)
            if n in result.leaders and n != result.focal
            else n
        ): values[n].tolist()
        for n in names
    }
    keys = list(series)
    radar(
        ax,
        labels,
        series,
        scales=scales,
        colors={k: colors[n] for k, n in zip(keys, names, strict=True)},
        linestyles={k: styles.get(n, "-") for k, n in zip(keys, names, strict=True)},
        fill=[keys[0]],
        where=where,
    )
    angles = np.linspace(0, 2 * np.pi, len(factors), endpoint=False)
    focal_values = values[result.focal].to_numpy(dtype="float64")
    if isinstance(scales, list):
        lo = np.array([s[0] for s in scales])
        hi = np.array([s[1] for s in scales])
        focal_values = (focal_values - lo) / (hi - lo)
    for board, marker, color in (("long", "^", COLORS["good"]), ("short", "v", COLORS["bad"])):
        picked = [factors.index(f) for f in chosen.index[chosen["board"] == board]]
        if picked:
            ax.scatter(
                angles[picked],
                focal_values[picked],
                marker=marker,
                s=140,
                color=color,
                zorder=5,
                label=label(board, lang, kind="board"),
            )
    tick_colors = {"long": COLORS["good"], "short": COLORS["bad"]}
    for tick, factor in zip(ax.get_xticklabels(), factors, strict=True):
        board = chosen["board"].get(factor)
        if board in tick_colors:
            tick.set_color(tick_colors[board])
    against = result.leader if result.leader != result.focal else result.reference
    title = text("chart.benchmark.title", lang, focal=result.focal, against=against)
    ax.set_title(title + "\n" + text("chart.benchmark.subtitle", lang, scale=scale_text), pad=24)
    handles, names = ax.get_legend_handles_labels()
    legend_outside(ax, handles, names, side="below", frameon=False)
    return ax
