"""Fast fixtures for the prediction tests: a small contract-shaped frame, no warehouse.

The frame comes from insight_hub.prediction.synthetic (a known risk process shaped like
mart_household_needs); the fits use fewer boosting iterations than production so that the
whole folder runs in well under a minute on two cores.
"""

from __future__ import annotations

import dataclasses

import pytest
from threadpoolctl import threadpool_limits

from insight_hub.prediction import risk, synthetic

HOUSEHOLDS = 1200


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    """One OpenMP thread: on a shared, busy machine spinning thread pools cost more than
    they give at this size."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="session")
def needs():
    return synthetic.needs_frame(households=HOUSEHOLDS, seed=11, objector_share=0.05)


@pytest.fixture(scope="session")
def fast_config():
    return dataclasses.replace(risk.RiskConfig(), max_iter=40, min_samples_leaf=50)
