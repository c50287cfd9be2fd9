"""The evaluation metrics on tiny hand-made clusterings with known answers."""

from __future__ import annotations

import pytest

from insight_hub.identity.metrics import cluster_metrics_from_lists as metrics


def test_perfect_clustering():
    m = metrics(["a", "a", "b", "c", "c", "c"], [1, 1, 2, 3, 3, 3])
    assert (m.predicted_pairs, m.true_pairs, m.true_positive_pairs) == (4, 4, 4)
    assert m.pairwise_precision == m.pairwise_recall == m.pairwise_f1 == 1.0
    assert m.bcubed_precision == m.bcubed_recall == 1.0


def test_over_merged():
    # One predicted cluster of four over two true persons of two records each.
    m = metrics(["x"] * 4, [1, 1, 2, 2])
    assert (m.predicted_pairs, m.true_pairs, m.true_positive_pairs) == (6, 2, 2)
    assert m.pairwise_precision == pytest.approx(2 / 6)
    assert m.pairwise_recall == 1.0
    assert m.pairwise_f1 == pytest.approx(2 * (1 / 3) / (1 / 3 + 1))
    # every record shares its predicted cluster of 4 with 2 true mates (itself included)
    assert m.bcubed_precision == pytest.approx(0.5)
    assert m.bcubed_recall == 1.0


def test_over_split():
    # True person of three records split 2 + 1; a singleton is right.
    m = metrics(["a", "a", "b", "c"], [1, 1, 1, 2])
    assert (m.predicted_pairs, m.true_pairs, m.true_positive_pairs) == (1, 3, 1)
    assert m.pairwise_precision == 1.0
    assert m.pairwise_recall == pytest.approx(1 / 3)
    assert m.bcubed_precision == 1.0
    # recall per record: 2/3, 2/3, 1/3, 1
    assert m.bcubed_recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


def test_mixed():
    m = metrics(["a", "a", "a", "b"], ["x", "x", "y", "y"])
    assert (m.predicted_pairs, m.true_pairs, m.true_positive_pairs) == (3, 2, 1)
    assert m.pairwise_precision == pytest.approx(1 / 3)
    assert m.pairwise_recall == pytest.approx(1 / 2)
    assert m.pairwise_f1 == pytest.approx(0.4)
    assert m.bcubed_precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert m.bcubed_recall == pytest.approx((1 + 1 + 1 / 2 + 1 / 2) / 4)


def test_all_singletons_have_no_pairs():
    m = metrics(["a", "b", "c"], [1, 2, 3])
    assert m.predicted_pairs == m.true_pairs == 0
    assert m.pairwise_precision == m.pairwise_recall == 1.0
