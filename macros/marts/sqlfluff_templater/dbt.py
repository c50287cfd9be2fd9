"""The project's `dbt` stand-ins plus the cross-database macros the single-view models use.

SQLFluff renders models/intermediate and models/marts/single_view with this library (their
.sqlfluff files point here): everything .sqlfluff_templater/dbt.py defines, and DuckDB forms
of bool_or, hash, generate_series, dateadd, datediff, cast and date_trunc.
"""

from _base import load

_project = load("dbt")
globals().update({k: v for k, v in vars(_project).items() if not k.startswith("_")})


def bool_or(expression):
    return f"bool_or({expression})"


def hash(field):  # noqa: A001 - dbt's name
    return f"md5(cast({field} as varchar))"


def generate_series(upper_bound):
    return f"select generate_series as generated_number from generate_series(1, {upper_bound})"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"({from_date_or_timestamp} + cast({interval} as bigint) * interval 1 {datepart})"


def datediff(first_date, second_date, datepart):
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def cast(field, type):  # noqa: A002 - dbt's name
    return f"cast({field} as {type})"


def date_trunc(datepart, date):
    return f"date_trunc('{datepart}', {date})"
