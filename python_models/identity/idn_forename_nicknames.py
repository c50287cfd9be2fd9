"""idn_forename_nicknames: one row per known forename, with its canonical forename.

The nickname map (insight_hub/identity/forename_nicknames.csv) as a table, so that the
match records compute forename_canonical in SQL.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from insight_hub.identity.nicknames import nickname_table

    return nickname_table()
