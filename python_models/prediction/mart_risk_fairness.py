"""mart_risk_fairness: one row per protected characteristic and group (plus one overall row).

Fairness monitoring of the held-out predictions: selection rate at the team's capacity, TPR,
FPR, mean score against observed rate, and ratios to the whole population. The characteristics
(dim_resident_protected: age band, sex, ethnic group, disability) are read here, after scoring,
for monitoring only; they never reach the model. Small groups are suppressed.
Logic: insight_hub.prediction.fairness.
"""

from insight_hub.prediction import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    # plain calls: dbt finds config keys only in dbt.config.get(...) calls it can see
    min_households = dbt.config.get("fairness_min_households", 10)
    min_outcomes = dbt.config.get("fairness_min_outcomes", 10)
    holdout = pipeline.read(dbt.ref("mart_risk_holdout"))
    # the person -> household map only: the characteristics come from dim_resident_protected,
    # built from the extracts bias monitoring may use
    residents = pipeline.read(dbt.ref("dim_resident"), ["person_key", "household_key"])
    protected = pipeline.read(dbt.ref("dim_resident_protected"))
    people = residents.merge(protected, on="person_key", how="left")
    people = people.loc[people["household_key"].notna()]
    return pipeline.risk_fairness(holdout, people, int(min_households), int(min_outcomes))
