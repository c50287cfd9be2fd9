"""Predictive analytics: homelessness risk, temporary accommodation demand, their records.

The dbt Python models in ``python_models/prediction/`` are thin: they read the marts, call
the functions here, and return DataFrames shaped by :mod:`insight_hub.prediction.schemas`.

- :mod:`~insight_hub.prediction.features`  the feature list, what is excluded and why, labels
- :mod:`~insight_hub.prediction.risk`      time-based training, calibration, scoring
- :mod:`~insight_hub.prediction.explain`   per-household reasons in plain words
- :mod:`~insight_hub.prediction.metrics`   discrimination, calibration, capacity metrics
- :mod:`~insight_hub.prediction.fairness`  monitoring by protected characteristic (after scoring)
- :mod:`~insight_hub.prediction.forecast`  TA placements forecast and its backtest
- :mod:`~insight_hub.prediction.evaluate`  ``insight-hub evaluate risk`` (against the truth)
- :mod:`~insight_hub.prediction.model_card` ``insight-hub model-card`` (ATRS record)
- :mod:`~insight_hub.prediction.bench`     ``insight-hub bench prediction``
"""
