"""Cohen's kappa, its standard error and interval, checked against arithmetic done by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from review.screening.agreement import agreement_table, cohen_kappa


def test_kappa_matches_a_hand_worked_example():
    # 50 works, two reviewers (rows A, columns B; categories include, exclude):
    #                 B include  B exclude
    #   A include        20          5        | 25
    #   A exclude        10         15        | 25
    #                    30         20          50
    # p_o = (20 + 15) / 50 = 0.70
    # margins: A 0.5, 0.5; B 0.6, 0.4  ->  p_e = 0.5*0.6 + 0.5*0.4 = 0.30 + 0.20 = 0.50
    # kappa = (0.70 - 0.50) / (1 - 0.50) = 0.40
    # Fleiss-Cohen-Everitt (1969) variance, cell proportions p11=.4 p12=.1 p21=.2 p22=.3, 1-kappa = .6:
    #   A = .4*(1 - (.5+.6)*.6)^2 + .3*(1 - (.5+.4)*.6)^2 = .4*.34^2 + .3*.46^2 = .04624 + .06348 = .10972
    #   B = .6^2 * [ .1*(p.1 + p2.)^2 + .2*(p.2 + p1.)^2 ] = .36 * [ .1*1.1^2 + .2*.9^2 ]
    #     = .36 * (.121 + .162) = .36 * .283 = .10188
    #   C = (kappa - p_e(1-kappa))^2 = (.4 - .5*.6)^2 = .1^2 = .01
    #   var = (A + B - C) / (n (1-p_e)^2) = (.10972 + .10188 - .01) / (50 * .25) = .2016 / 12.5 = .016128
    #   SE = sqrt(.016128) = 0.126996...
    # 95 % CI = .4 -/+ 1.959964 * 0.126996 = .4 -/+ 0.248908 = (0.151092, 0.648908)
    k = cohen_kappa([[20, 5], [10, 15]])
    assert (k.n, k.n_agree) == (50, 35)
    assert k.percent_agreement == pytest.approx(70.0)
    assert k.p_expected == pytest.approx(0.5)
    assert k.kappa == pytest.approx(0.4)
    assert k.se == pytest.approx(math.sqrt(0.016128))
    assert k.se == pytest.approx(0.126996, abs=1e-6)
    assert k.ci_low == pytest.approx(0.151092, abs=1e-5)
    assert k.ci_high == pytest.approx(0.648908, abs=1e-5)


def test_perfect_agreement_has_kappa_one_and_no_spread():
    k = cohen_kappa([[7, 0, 0], [0, 12, 0], [0, 0, 1]])
    assert k.kappa == pytest.approx(1.0) and k.se == pytest.approx(0.0)
    assert (k.ci_low, k.ci_high) == (pytest.approx(1.0), pytest.approx(1.0))


def test_kappa_is_undefined_when_both_reviewers_used_one_category():
    k = cohen_kappa([[9, 0], [0, 0]])
    assert k.percent_agreement == 100.0 and math.isnan(k.kappa) and math.isnan(k.ci_low)


def test_agreement_table_counts_only_works_both_reviewers_decided():
    rows = [("w1", "demo_a", "include"), ("w1", "demo_b", "include"),
            ("w2", "demo_a", "exclude"), ("w2", "demo_b", "include"),
            ("w3", "demo_a", "maybe"), ("w3", "demo_b", "exclude"),
            ("w4", "demo_a", "exclude"), ("w4", "demo_b", "exclude"),
            ("w5", "demo_a", "include")]  # demo_b has not screened w5
    d = pd.DataFrame(rows, columns=["work_id", "reviewer", "decision"])
    t = agreement_table({"title_abstract": d})
    row = t.iloc[0]
    assert (row.reviewer_a, row.reviewer_b, row.n_both, row.n_agree) == ("demo_a", "demo_b", 4, 2)
    assert row.percent_agreement == 50.0
    assert (row.n_include_include, row.n_exclude_include, row.n_maybe_exclude, row.n_exclude_exclude) == (1, 1, 1, 1)
    # 3x3 by hand: p_o = .5; A margins (inc .25, exc .5, maybe .25), B (inc .5, exc .5, maybe 0)
    # p_e = .25*.5 + .5*.5 + 0 = .375; kappa = (.5 - .375) / .625 = 0.2
    assert row.kappa == pytest.approx(0.2)
