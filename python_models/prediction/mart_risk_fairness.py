"""mart_risk_fairness: one row per protected characteristic and group (plus one overall row).

Fairness monitoring of the held-out predictions: selection rate at the team's capacity, TPR,
FPR, mean score against observed rate, and ratios to the whole population. Protected
characteristics (dim_resident_protected) are read here, after scoring, for monitoring only;
they never reach the model. Small groups are suppressed.
Logic: insight_hub.prediction.fairness.
"""

from insight_hub.prediction import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    min_households = int(dbt.config.get("fairness_min_households") or 10)
    min_outcomes = int(dbt.config.get("fairness_min_outcomes") or 10)
    holdout = pipeline.read(dbt.ref("mart_risk_holdout"))
    residents = pipeline.read(
        dbt.ref("dim_resident"), ["person_key", "household_key", "age_band", "sex"]
    )
    protected = pipeline.read(dbt.ref("dim_resident_protected"))
    people = residents.merge(protected, on="person_key", how="left")
    people = people.loc[people["household_key"].notna()]
    return pipeline.risk_fairness(holdout, people, min_households, min_outcomes)
