"""The homelessness model: rates, signal strength, and no protected characteristics."""

from __future__ import annotations

import copy

import numpy as np
from sklearn.metrics import roc_auc_score

from insight_hub.synth import outcomes
from insight_hub.synth.dates import N_MONTHS, WINDOW_FIRST_MONTH

W = WINDOW_FIRST_MONTH


def test_approach_rate(history):
    _, oc = history
    act = oc.prop_hm[:, W:] >= 0
    yearly = []
    for y in range(3):
        sl = slice(W + 12 * y, W + 12 * (y + 1))
        present = (oc.prop_hm[:, sl] >= 0).any(axis=1)
        yearly.append(oc.approached[:, sl].any(axis=1)[present].mean())
    assert 0.01 <= np.mean(yearly) <= 0.02, yearly
    assert oc.approached[:, W:][act].sum() > 100


def test_true_probability_auc(history):
    _, oc = history
    ys, ss = [], []
    for m in range(W, N_MONTHS - 6):
        a = oc.prop_hm[:, m] >= 0
        ys.append(oc.approached[:, m : m + 6].any(axis=1)[a])
        ss.append(1 - np.prod(1 - oc.p_approach[:, m : m + 6], axis=1)[a])
    auc = roc_auc_score(np.concatenate(ys), np.concatenate(ss))
    assert 0.78 <= auc <= 0.92, auc


def test_arrears_rise_before_approaches(history):
    """Council tax arrears climb in the months before an approach, not in general."""
    _, oc = history
    h, m = np.nonzero(oc.approached[:, 12:])
    m = m + 12
    ct = oc.ct_arrears
    rise = ct[h, m - 1] - ct[h, m - 7]
    present = oc.prop_hm[:, W:] >= 0
    general = (ct[:, W:] - ct[:, W - 6 : N_MONTHS - 6])[present]
    assert rise.mean() > 60 and rise.mean() > 5 * abs(general.mean())
    assert (rise > 0).mean() > 2 * (general > 0).mean()
    assert ct[h, m - 1].mean() > 5 * ct[:, W:][present].mean()


def test_hazard_ignores_protected_characteristics(history):
    world, oc = history
    assert not {"sex", "ethnicity", "disability", "age"} & set(outcomes.HAZARD)
    scrambled = copy.copy(world)
    people = copy.deepcopy(world.people)
    rng = np.random.default_rng(0)
    for col in ("sex", "eth", "disability"):
        people.col(col)[:] = rng.permutation(people.col(col))
    scrambled.people = people
    again = outcomes.simulate_outcomes(np.random.default_rng([23, 2]), scrambled)
    assert np.array_equal(again.p_approach, oc.p_approach)
