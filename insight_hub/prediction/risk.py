"""Homelessness risk: time-based training, calibration on a later slice, scoring.

Timeline for a fit with cut-off month ``C`` (the first month the fit may not see):

- the frame is cut to months ``< C`` *before* anything else, so neither features nor labels
  can see data from ``C`` on;
- the label of month m is "an approach in m+1 .. m+6"; it is complete only when m+6 < C;
- calibration slice: the last ``calibration_months`` label-complete months;
- training slice: the ``train_months`` label-complete months before the calibration slice.

Two fits use this:

- the **backtest** (:func:`backtest`): C = the last month with a complete label minus 5, so
  that the six months C .. C+5 (whose labels are complete in the full frame) are held out;
  the held-out predictions give every reported metric;
- the **production** fit (:func:`score_current`): C = the month after the last month in the
  mart, so the newest complete labels are used; it scores the last month's households.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit, logit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from insight_hub.prediction import features as F

MODEL_FAMILY = "hhr"  # household homelessness risk
MODEL_REVISION = "1.4"


@dataclass(frozen=True)
class RiskConfig:
    horizon: int = F.HORIZON
    test_months: int = 6
    calibration_months: int = 6
    train_months: int = 24
    seed: int = 20261001
    # the boosted trees: small, monotone, strongly regularised (few positives a month)
    max_iter: int = 50
    learning_rate: float = 0.1
    max_leaf_nodes: int = 4
    min_samples_leaf: int = 100
    l2_regularization: float = 10.0
    max_bins: int = 63
    # the additive model: L2-penalised logistic regression on features.linear_terms
    logistic_c: float = 0.1
    # calibration of the blend on the later slice: "sigmoid" (Platt) keeps the ranking;
    # "isotonic" ties many scores, which costs ranking when positives are few
    calibration: str = "sigmoid"
    # Above this many rows, negatives are sampled (every positive kept) to bound the time:
    # training without weights (the calibration absorbs the shift), calibration with weights.
    max_train_rows: int = 200_000
    max_calibration_rows: int = 200_000


def _unique_rows(X: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(distinct rows, index of each row's distinct row), exact (rows compared as bytes)."""
    arr = np.ascontiguousarray(X.to_numpy(dtype=np.float32))
    if len(arr) == 0:
        return X, np.zeros(0, dtype=np.int64)
    view = arr.view(np.dtype((np.void, arr.dtype.itemsize * arr.shape[1]))).ravel()
    _, first, inverse = np.unique(view, return_index=True, return_inverse=True)
    return X.iloc[first], inverse.reshape(-1)


class BlendedRisk(ClassifierMixin, BaseEstimator):
    """Gradient-boosted trees and a logistic regression, their log-odds averaged.

    The trees (HistGradientBoostingClassifier, monotone in arrears, notices, benefit cuts and
    earlier approaches) find interactions; the logistic regression on
    :func:`features.linear_terms` is steady where positives are few. Equal weights: fitting
    the weights would spend the calibration slice twice. The blend is calibrated afterwards
    (CalibratedClassifierCV on a FrozenEstimator, on a later time slice).
    """

    def __init__(self, config: RiskConfig | None = None):
        self.config = config

    def fit(self, X: pd.DataFrame, y, sample_weight=None):
        c = self.config or RiskConfig()
        X = X[F.FEATURES]
        self.hgb_ = HistGradientBoostingClassifier(
            max_iter=c.max_iter,
            learning_rate=c.learning_rate,
            max_leaf_nodes=c.max_leaf_nodes,
            min_samples_leaf=c.min_samples_leaf,
            l2_regularization=c.l2_regularization,
            max_bins=c.max_bins,
            categorical_features=F.categorical_mask(),
            monotonic_cst=F.monotonic_constraints(),
            early_stopping=False,
            random_state=c.seed,
        ).fit(X, y, sample_weight=sample_weight)
        self.logit_ = make_pipeline(
            StandardScaler(), LogisticRegression(C=c.logistic_c, max_iter=2000)
        ).fit(F.linear_terms(X), y, logisticregression__sample_weight=sample_weight)
        self.classes_ = self.hgb_.classes_
        self.feature_names_in_ = np.asarray(F.FEATURES, dtype=object)
        self.n_features_in_ = len(F.FEATURES)
        return self

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """The blend's log-odds; identical rows (most households have no recorded need) are
        scored once."""
        X = X[F.FEATURES]
        unique, inverse = _unique_rows(X)
        if len(unique) < 0.8 * len(X):
            return self._decision(unique)[inverse]
        return self._decision(X)

    def _decision(self, X: pd.DataFrame) -> np.ndarray:
        a = np.clip(self.hgb_.predict_proba(X)[:, 1], 1e-7, 1 - 1e-7)
        b = np.clip(self.logit_.predict_proba(F.linear_terms(X))[:, 1], 1e-7, 1 - 1e-7)
        return 0.5 * (logit(a) + logit(b))

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = expit(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


@dataclass
class FittedRisk:
    model: CalibratedClassifierCV
    config: RiskConfig
    cutoff: pd.Timestamp
    train_months: tuple[pd.Timestamp, pd.Timestamp]
    calibration_months: tuple[pd.Timestamp, pd.Timestamp]
    train_rows: int
    train_positive_rate: float
    calibration_rows: int
    features: list[str] = field(default_factory=lambda: list(F.FEATURES))

    @property
    def version(self) -> str:
        return model_version(self.config, self.cutoff)

    @property
    def blend(self) -> BlendedRisk:
        return self.model.estimator.estimator  # CalibratedClassifierCV -> FrozenEstimator

    def feature_names(self) -> list[str]:
        """The features the fitted estimators actually saw (read from the estimators)."""
        return [str(c) for c in self.blend.hgb_.feature_names_in_]

    def linear_term_names(self) -> list[str]:
        """The logistic regression's inputs (each derived from one or two features)."""
        return [str(c) for c in self.blend.logit_.feature_names_in_]

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.model.predict_proba(X[self.features])[:, 1]


def model_version(config: RiskConfig, cutoff: pd.Timestamp) -> str:
    """A readable version: family, revision, hash of (features, config), training cut-off."""
    spec = json.dumps({"features": F.FEATURES, "config": asdict(config)}, sort_keys=True)
    digest = hashlib.sha256(spec.encode()).hexdigest()[:8]
    return f"{MODEL_FAMILY}-{MODEL_REVISION}-{digest}-cut{pd.Timestamp(cutoff):%Y%m}"


def _months(frame: pd.DataFrame) -> np.ndarray:
    return F.month_index(frame[F.MONTH])


@dataclass
class Slices:
    """Which rows of a (prepared, cut) frame train and calibrate a fit."""

    frame: pd.DataFrame
    grid: F.Grid
    label: np.ndarray
    train: np.ndarray
    calibration: np.ndarray
    cut: int
    train_lo: int
    cal_lo: int
    last_complete: int

    def describe(self) -> dict:
        return {
            "cutoff": F.index_to_month(self.cut),
            "train_months": (F.index_to_month(self.train_lo), F.index_to_month(self.cal_lo - 1)),
            "calibration_months": (
                F.index_to_month(self.cal_lo),
                F.index_to_month(self.last_complete),
            ),
            "train_rows": int(self.train.sum()),
            "train_positive_rate": float(self.label[self.train].mean()),
            "calibration_rows": int(self.calibration.sum()),
            "calibration_positive_rate": float(self.label[self.calibration].mean()),
        }


def slices(frame: pd.DataFrame, cutoff: pd.Timestamp, config: RiskConfig) -> Slices:
    """Cut the frame to months before ``cutoff``, then pick the training and calibration rows.

    The cut comes first, so neither features nor labels can see data from the cut-off on.
    """
    cut = int(F.month_index(pd.Series([pd.Timestamp(cutoff)]))[0])
    frame = F.cut(F.prepare(frame), cut)
    if frame.empty:
        raise ValueError(f"No household-months before the cut-off {pd.Timestamp(cutoff):%Y-%m}.")
    grid = F.Grid(frame)
    label, complete = F.next_months_label(frame, config.horizon, grid)
    m = _months(frame)
    last_complete = cut - 1 - config.horizon
    cal_lo = last_complete - config.calibration_months + 1
    train_lo = max(cal_lo - config.train_months, int(m.min()))
    train = complete & (m >= train_lo) & (m < cal_lo)
    cal = complete & (m >= cal_lo) & (m <= last_complete)
    if train.sum() == 0 or cal.sum() == 0 or label[train].sum() == 0 or label[cal].sum() == 0:
        raise ValueError(
            "Not enough label-complete history before the cut-off to train and calibrate "
            f"(train rows {int(train.sum())}, calibration rows {int(cal.sum())})."
        )
    return Slices(frame, grid, label, train, cal, cut, train_lo, cal_lo, last_complete)


def _sample(rng: np.random.Generator, y: np.ndarray, max_rows: int) -> tuple[np.ndarray, float]:
    """Every positive and a random share of the negatives, at most about ``max_rows`` rows."""
    pos = int(y.sum())
    if len(y) <= max_rows:
        return np.ones(len(y), dtype=bool), 1.0
    rate = max((max_rows - pos) / max(len(y) - pos, 1), 0.005)
    return y | (rng.random(len(y)) < rate), rate


def fit(
    frame: pd.DataFrame,
    cutoff: pd.Timestamp,
    config: RiskConfig | None = None,
    features: pd.DataFrame | None = None,
) -> FittedRisk:
    """Fit on months before ``cutoff`` only (see the module docstring for the slices).

    ``features``: the feature matrix of ``frame`` (prepared), reused only when the cut keeps
    every row (the production fit); otherwise features are computed on the cut frame.
    """
    config = config or RiskConfig()
    s = slices(frame, cutoff, config)
    label, train, cal = s.label, s.train, s.calibration
    if features is not None and len(features) == len(s.frame) and s.frame is frame:
        X = features
    else:
        X = F.feature_matrix(s.frame, s.grid)
    rng = np.random.default_rng(config.seed)
    # Training: every positive and a sample of negatives when there are many. No weights:
    # sampling only shifts the blend's log-odds by a constant, which the calibration on the
    # later slice removes (weighted binning in the trees would also cost minutes at scale).
    idx = np.flatnonzero(train)
    keep, _ = _sample(rng, label[idx], config.max_train_rows)
    idx = idx[keep]
    blend = BlendedRisk(config).fit(X.iloc[idx], label[idx])
    # Calibration: the same sampling, with weights 1/rate on the sampled negatives, so that
    # the fitted probabilities are those of the whole later slice.
    cidx = np.flatnonzero(cal)
    ckeep, rate = _sample(rng, label[cidx], config.max_calibration_rows)
    cidx = cidx[ckeep]
    calibrated = CalibratedClassifierCV(FrozenEstimator(blend), method=config.calibration)
    if rate < 1.0:
        weight = np.where(label[cidx], 1.0, 1.0 / rate)
        with warnings.catch_warnings():
            # "sample weights will only be used for the calibration itself": that is the
            # intent (the frozen blend is not refitted).
            warnings.filterwarnings("ignore", message="Since FrozenEstimator")
            calibrated.fit(X.iloc[cidx], label[cidx], sample_weight=weight)
    else:
        calibrated.fit(X.iloc[cidx], label[cidx])
    d = s.describe()
    return FittedRisk(
        model=calibrated,
        config=config,
        cutoff=d["cutoff"],
        train_months=d["train_months"],
        calibration_months=d["calibration_months"],
        train_rows=d["train_rows"],
        train_positive_rate=d["train_positive_rate"],
        calibration_rows=d["calibration_rows"],
    )


def rank_within(frame: pd.DataFrame, by: str | None = None) -> np.ndarray:
    """Rank 1 = highest score; ties broken by household_key so that ranks are reproducible."""
    order = frame.sort_values(
        ([by] if by else []) + ["score", F.KEY],
        ascending=([True] if by else []) + [False, True],
        kind="stable",
    )
    ranks = order.groupby(by, sort=False).cumcount() + 1 if by else np.arange(1, len(order) + 1)
    return pd.Series(np.asarray(ranks), index=order.index).reindex(frame.index).to_numpy()


def band(rank: np.ndarray, capacity: int, medium_multiple: int = 4) -> np.ndarray:
    """High: within the prevention team's capacity; Medium: the next (multiple-1) capacities."""
    return np.where(
        rank <= capacity, "High", np.where(rank <= medium_multiple * capacity, "Medium", "Low")
    )


def backtest(
    frame: pd.DataFrame, config: RiskConfig | None = None, capacity: int = 200
) -> tuple[FittedRisk, pd.DataFrame]:
    """Fit before the held-out months and predict them: one row per household per held-out month.

    Columns: household_key, month, score, label, baseline_score, rank_in_month, selected.
    """
    config = config or RiskConfig()
    prepared = F.prepare(frame)
    grid = F.Grid(prepared)
    label, complete = F.next_months_label(prepared, config.horizon, grid)
    m = _months(prepared)
    last_complete = int(m[complete].max())
    test_lo = last_complete - config.test_months + 1
    fitted = fit(prepared, F.index_to_month(test_lo), config)
    test = np.flatnonzero(complete & (m >= test_lo))
    X = F.feature_matrix(prepared, grid).iloc[test]
    rows = prepared.iloc[test]
    out = pd.DataFrame(
        {
            F.KEY: rows[F.KEY].astype(str).to_numpy(),
            F.MONTH: rows[F.MONTH].to_numpy(),
            "score": fitted.predict(X),
            "label": label[test],
            "baseline_score": baseline_score(rows).to_numpy(),
        }
    )
    out["rank_in_month"] = rank_within(out, by=F.MONTH)
    out["selected"] = out["rank_in_month"] <= capacity
    return fitted, out


def baseline_score(frame: pd.DataFrame) -> pd.Series:
    """The simple rule the model must beat: total arrears (council tax + rent)."""
    return frame["ct_arrears"].fillna(0) + frame["rent_arrears"].fillna(0)


def score_current(
    frame: pd.DataFrame, config: RiskConfig | None = None
) -> tuple[FittedRisk, pd.DataFrame, pd.DataFrame]:
    """Fit on everything with a complete label; score the last month's households.

    Returns the fit, the scored rows (household_key, month, score) and their feature matrix.
    """
    config = config or RiskConfig()
    prepared = F.prepare(frame)
    m = _months(prepared)
    last = int(m.max())
    X = F.feature_matrix(prepared)
    fitted = fit(prepared, F.index_to_month(last + 1), config, features=X)
    now = np.flatnonzero(m == last)
    rows = prepared.iloc[now]
    scored = pd.DataFrame(
        {F.KEY: rows[F.KEY].astype(str).to_numpy(), F.MONTH: rows[F.MONTH].to_numpy()}
    )
    Xn = X.iloc[now].reset_index(drop=True)
    del X
    scored["score"] = fitted.predict(Xn)
    return fitted, scored, Xn
