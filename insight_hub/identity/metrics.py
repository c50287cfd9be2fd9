"""Clustering quality against a ground truth, computed from cluster sizes only.

Pairs are never enumerated: a clustering of n records into clusters of sizes s_i holds
sum(s_i * (s_i - 1) / 2) pairs, and the pairs two clusterings agree on are counted the same
way over the intersections of their clusters. That keeps the evaluation linear at any scale.

Each function takes a DuckDB connection and the name of a relation (table, view or
registered frame) with one row per record and the columns ``predicted`` and ``truth``
(cluster ids of any type; NULL is not allowed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import duckdb


@dataclass(frozen=True)
class ClusterMetrics:
    records: int
    predicted_pairs: int
    true_pairs: int
    true_positive_pairs: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float

    def as_dict(self) -> dict:
        return asdict(self)


def _ratio(numerator: float, denominator: float) -> float:
    # No predicted pairs means nothing was wrongly linked: precision 1 by convention.
    return 1.0 if denominator == 0 else numerator / denominator


def _f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def cluster_metrics(con: duckdb.DuckDBPyConnection, relation: str) -> ClusterMetrics:
    """Pairwise and B-cubed precision/recall of ``predicted`` against ``truth``."""
    row = con.execute(
        f"""
        with base as (select predicted, truth from {relation}),
        pred as (select predicted, count(*) as n from base group by all),
        tru as (select truth, count(*) as n from base group by all),
        inter as (select predicted, truth, count(*) as n from base group by all),
        inter_sized as (
            select inter.n, pred.n as n_pred, tru.n as n_true
            from inter
            join pred using (predicted)
            join tru using (truth)
        )
        select
            (select count(*) from base) as records,
            (select coalesce(sum(n * (n - 1) // 2), 0) from pred)::hugeint as predicted_pairs,
            (select coalesce(sum(n * (n - 1) // 2), 0) from tru)::hugeint as true_pairs,
            (select coalesce(sum(n * (n - 1) // 2), 0) from inter)::hugeint as tp_pairs,
            (select coalesce(sum(n * n / n_pred), 0) from inter_sized) as b3_p_sum,
            (select coalesce(sum(n * n / n_true), 0) from inter_sized) as b3_r_sum
        """
    ).fetchall()[0]
    records, predicted_pairs, true_pairs, tp, b3_p_sum, b3_r_sum = row
    precision = _ratio(int(tp), int(predicted_pairs))
    recall = _ratio(int(tp), int(true_pairs))
    b3_precision = _ratio(float(b3_p_sum), records)
    b3_recall = _ratio(float(b3_r_sum), records)
    return ClusterMetrics(
        records=int(records),
        predicted_pairs=int(predicted_pairs),
        true_pairs=int(true_pairs),
        true_positive_pairs=int(tp),
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b3_precision,
        bcubed_recall=b3_recall,
        bcubed_f1=_f1(b3_precision, b3_recall),
    )


def cluster_metrics_from_lists(predicted: list, truth: list) -> ClusterMetrics:
    """Convenience for small in-memory clusterings (tests, notebooks)."""
    if len(predicted) != len(truth):
        raise ValueError("predicted and truth must label the same records")
    con = duckdb.connect()
    try:
        con.execute("create table labels (predicted varchar, truth varchar)")
        if predicted:
            con.executemany(
                "insert into labels values (?, ?)",
                [(str(p), str(t)) for p, t in zip(predicted, truth, strict=True)],
            )
        return cluster_metrics(con, "labels")
    finally:
        con.close()
