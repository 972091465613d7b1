"""Inter-rater agreement: percentage agreement and Cohen's kappa with a 95 % confidence interval.

The standard error is the large-sample (non-null) formula of Fleiss, Cohen & Everitt (1969),
as given in Fleiss, Levin & Paik, *Statistical Methods for Rates and Proportions* (3rd ed., 2003),
eq. 18.13, with p_ij the cell proportions, p_i. the row (reviewer A) and p_.j the column
(reviewer B) margins, p_o the observed and p_e the chance agreement::

    SE(kappa) = sqrt( sum_i p_ii [1 - (p_i. + p_.i)(1 - kappa)]^2
                      + (1 - kappa)^2 sum_{i != j} p_ij (p_.i + p_j.)^2
                      - [kappa - p_e (1 - kappa)]^2 ) / ((1 - p_e) sqrt(n))

The interval is kappa +/- 1.96 SE (a Wald interval), clipped to [-1, 1].
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from .store import DECISIONS

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Kappa:
    n: int
    n_agree: int
    percent_agreement: float
    p_expected: float
    kappa: float
    se: float
    ci_low: float
    ci_high: float


def cohen_kappa(table: list[list[int]]) -> Kappa:
    """Kappa from a square table of counts: rows reviewer A's categories, columns reviewer B's."""
    k = len(table)
    if any(len(row) != k for row in table):
        raise ValueError("the agreement table must be square")
    n = sum(sum(row) for row in table)
    n_agree = sum(table[i][i] for i in range(k))
    nan = float("nan")
    if n == 0:
        return Kappa(0, 0, nan, nan, nan, nan, nan, nan)
    p = [[c / n for c in row] for row in table]
    row_m = [sum(p[i]) for i in range(k)]
    col_m = [sum(p[i][j] for i in range(k)) for j in range(k)]
    po = n_agree / n
    pe = sum(row_m[i] * col_m[i] for i in range(k))
    if math.isclose(pe, 1.0):
        # Both reviewers used one and the same category throughout: kappa is undefined.
        return Kappa(n, n_agree, 100 * po, pe, nan, nan, nan, nan)
    kappa = (po - pe) / (1 - pe)
    a = sum(p[i][i] * (1 - (row_m[i] + col_m[i]) * (1 - kappa)) ** 2 for i in range(k))
    b = (1 - kappa) ** 2 * sum(p[i][j] * (col_m[i] + row_m[j]) ** 2
                               for i in range(k) for j in range(k) if i != j)
    c = (kappa - pe * (1 - kappa)) ** 2
    var = max(a + b - c, 0.0) / (n * (1 - pe) ** 2)
    se = math.sqrt(var)
    return Kappa(n, n_agree, 100 * po, pe, kappa, se,
                 max(-1.0, kappa - Z95 * se), min(1.0, kappa + Z95 * se))


def cross_table(a: pd.Series, b: pd.Series, categories=DECISIONS) -> list[list[int]]:
    """Counts of (A's decision, B's decision) over the works both decided."""
    table = [[0] * len(categories) for _ in categories]
    index = {c: i for i, c in enumerate(categories)}
    for x, y in zip(a, b):
        table[index[x]][index[y]] += 1
    return table


AGREEMENT_COLUMNS = (["stage", "reviewer_a", "reviewer_b", "n_both", "n_agree", "percent_agreement",
                      "kappa", "kappa_se", "kappa_ci_low", "kappa_ci_high"]
                     + [f"n_{x}_{y}" for x in DECISIONS for y in DECISIONS])


def agreement_table(decisions_by_stage: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per stage and pair of reviewers who both decided at least one work.

    ``decisions_by_stage`` maps a stage id to its standing decisions (``DecisionStore.decisions``).
    ``n_<a>_<b>`` counts the works reviewer A decided ``a`` and reviewer B decided ``b``: the
    counts behind both percentage agreement and kappa.
    """
    rows = []
    for stage, d in decisions_by_stage.items():
        if d.empty:
            continue
        wide = d.pivot(index="work_id", columns="reviewer", values="decision")
        for ra, rb in combinations(sorted(wide.columns), 2):
            both = wide[[ra, rb]].dropna()
            if both.empty:
                continue
            table = cross_table(both[ra], both[rb])
            k = cohen_kappa(table)
            row = {"stage": stage, "reviewer_a": ra, "reviewer_b": rb, "n_both": k.n, "n_agree": k.n_agree,
                   "percent_agreement": round(k.percent_agreement, 1), "kappa": _r(k.kappa),
                   "kappa_se": _r(k.se), "kappa_ci_low": _r(k.ci_low), "kappa_ci_high": _r(k.ci_high)}
            for i, x in enumerate(DECISIONS):
                for j, y in enumerate(DECISIONS):
                    row[f"n_{x}_{y}"] = table[i][j]
            rows.append(row)
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _r(x: float) -> float:
    return x if math.isnan(x) else round(x, 3)
