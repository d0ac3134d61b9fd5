"""The sample's ground truth (issue 24): a hidden driver of each account's future.

Each regular account of the generated sample (not the storyline accounts, whose futures the
story writes) draws a hidden driver ``z ~ N(0, 1)``, its commercial health as nobody measures
it, from a random stream of its own (seeded by the sample's seed, the BU and the account), so
adding it reshuffles no other draw of the sample. The driver moves what the account does
next, and what the criteria and the health signals see of it, each with its own noise:

- its future: the quarterly revenue trend (``SEEN["growth"]`` per unit of ``z``: with
  :data:`KEPT`, the driver makes three quarters of the trend's variance) and its churn, a
  per-quarter hazard ``1 / (1 + exp(-(CHURN_BASE - CHURN_SLOPE * z)))`` after its first
  :data:`SETTLED` quarters; from the quarter it churns, its purchases collapse to
  :data:`COLLAPSE` (5 % to 45 %) of what they were (its share of the category's spend falls
  as much: the customer buys the rest elsewhere), which the backtest counts as churn (its
  revenue fell by more than half); for :data:`WARNING` quarters before, it slips
  (:meth:`Future.bought`: it buys less and pays later, the early signs the health signals
  can see);
- what the as-of criteria and signals observe of it, each through ``z`` plus noise
  (:data:`NOISE`) blended with the quantity's own draw (:meth:`Future.blend`, the spread of
  :data:`SPREAD` kept): the gross margin, the payment days, the workshop's strategic-access
  rating; and, added, the relationship stage that sets what the account shares and plans
  with us (executive visits follow) and the workshop's sense of its momentum (its growth
  rating). Our relative strength there is left to its own draw: a driver that raised both
  axes of the selection matrix would make more key accounts than the story has.

The backtest of the sample therefore finds a real but imperfect signal (data/README.md,
"Backtest", gives the figures), and shuffling the ledger across a BU's accounts removes it.

Examples
--------
>>> f = account_future(20261122, 0, 20, kind="regular", start=0, nq=8)
>>> f == account_future(20261122, 0, 20, kind="regular", start=0, nq=8)
True
>>> story = account_future(20261122, 0, 0, kind="key", start=0, nq=8)
>>> story.driver, story.churn_at, story.growth
(0.0, None, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Share of a blended quantity's own draw kept around its mean (:meth:`Future.blend`).
KEPT = 0.5
#: Standard deviation of the noise on each observation of the driver.
NOISE = 0.3
#: Standard deviation of the sample's draw of each quantity the driver moves: the quarterly
#: revenue growth, the gross margin (points), the payment days and the strategic-access
#: rating. Blended (:meth:`Future.blend`), each keeps this spread.
SPREAD = {"growth": 0.025, "margin": 4.0, "days": -12.0, "access": 0.8}
_SHARE = (1.0 - KEPT**2) ** 0.5
#: What one unit of the driver (growth) or of its noisy observation (the others) adds.
SEEN = {k: v * _SHARE / (1.0 + (k != "growth") * NOISE**2) ** 0.5 for k, v in SPREAD.items()}
#: ... and, not blended: the relationship stage that sets what the account shares and plans
#: with us (executive visits follow), and the workshop's sense of its momentum (growth rating).
SEEN.update(stage=0.8, momentum=0.05)
#: Logit of the per-quarter churn hazard at ``z = 0``, and its fall per unit of ``z``.
CHURN_BASE = -4.5
CHURN_SLOPE = 2.0
#: Share of its purchases a churned account keeps: uniform between these.
COLLAPSE = (0.05, 0.45)
#: Quarters an account buys as usual before it may churn.
SETTLED = 2
#: Before it churns, for :data:`WARNING` quarters, an account buys less (its purchases times
#: :data:`SLIP`) and pays later (:data:`LATE` more payment days): the early signs it is leaving.
WARNING = 3
SLIP = 0.8
LATE = 12.0
#: Offset of the drivers' streams in the seed sequence (the issue that asked for them).
STREAM = 24


@dataclass(frozen=True)
class Future:
    """An account's hidden driver and what it changes (all zero for a storyline account)."""

    driver: float
    growth: float
    margin: float
    days: float
    access: float
    stage: float
    momentum: float
    churn_at: int | None
    collapse: float

    def blend(self, name: str, drawn: float, mean: float) -> float:
        """Mix the driver's effect ``name`` into a quantity ``drawn`` around ``mean``.

        ``mean + KEPT * (drawn - mean) + effect``: with the effects of :data:`SEEN`, the
        quantity is about as spread as its draw alone, so the tiers stay about as they were.
        """
        return mean + KEPT * (drawn - mean) + getattr(self, name)

    def bought(self, q: int, revenue: float, share: float, days: float) -> tuple:
        """Quarter ``q``'s revenue, share of wallet and payment days as the account leaves.

        Unchanged before the warning (or if it never churns); from :data:`WARNING` quarters
        before it churns, revenue times :data:`SLIP` and :data:`LATE` more days; from
        ``churn_at``, revenue and share times ``collapse`` (it buys the rest elsewhere).

        >>> f = Future(-2.0, *[0.0] * 6, churn_at=4, collapse=0.25)
        >>> [f.bought(q, 100.0, 0.4, 50.0) for q in (0, 1, 4)]
        [(100.0, 0.4, 50.0), (80.0, 0.4, 62.0), (25.0, 0.1, 62.0)]
        """
        if self.churn_at is None or q < self.churn_at - WARNING:
            return revenue, share, days
        if q < self.churn_at:
            return revenue * SLIP, share, days + LATE
        return revenue * self.collapse, share * self.collapse, days + LATE


def account_future(seed: int, bu: int, account: int, *, kind: str, start: int, nq: int) -> Future:
    """Draw account number ``account`` of BU number ``bu``'s hidden driver and its effects.

    Parameters
    ----------
    seed : int
        The sample's seed.
    bu, account : int
        Positions of the BU and of the account in it (0-based).
    kind : str
        The account's storyline kind; only ``"regular"`` accounts get a driver.
    start : int
        Index of the account's first quarter of sales; ``nq`` the number of quarters.

    Returns
    -------
    Future
        ``churn_at`` is the index of the quarter from which its purchases collapse to
        ``collapse`` of what they were (None: it does not churn in the period).
    """
    own = np.random.default_rng([seed, STREAM, bu, account])
    z = float(own.normal())
    seen = {k: z + float(own.normal(0.0, NOISE)) for k in SEEN}
    seen["growth"] = z  # the future itself, not an observation of it
    hazard = 1.0 / (1.0 + np.exp(-(CHURN_BASE - CHURN_SLOPE * z)))
    draws = own.random(nq)
    collapse = float(own.uniform(*COLLAPSE))
    if kind != "regular":
        return Future(0.0, *[0.0] * len(SEEN), None, 1.0)
    churn_at = next((q for q in range(start + SETTLED, nq) if draws[q] < hazard), None)
    return Future(
        driver=z,
        churn_at=churn_at,
        collapse=collapse,
        **{k: SEEN[k] * v for k, v in seen.items()},
    )
