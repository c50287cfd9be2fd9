"""A stand-in for dbt's `adapter` when SQLFluff renders models without a connection.

adapter.dispatch('name', 'package') returns a function that renders as `name()`, which
keeps the SQL around it parseable (SQLFluff lints the SQL written in the model files;
what macros generate is templated and not linted).
"""


def dispatch(macro_name, macro_namespace=None):
    if macro_name == "extract_rows":
        return lambda relation: f"select 1 as raw_row_number, * from {relation}"
    if macro_name == "cte_materialized":
        return lambda: "materialized"

    def call(*args, **kwargs):
        return f"{macro_name}()"

    return call


def quote(identifier):
    return f'"{identifier}"'


def type():  # noqa: A001 - dbt's name
    return "duckdb"


def __getattr__(name):
    """Any other adapter method renders as a call of that name."""
    if name.startswith("__"):
        raise AttributeError(name)
    return lambda *args, **kwargs: f"{name}()"
