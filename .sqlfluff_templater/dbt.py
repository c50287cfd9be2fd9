"""Stand-ins for dbt's cross-database macros when SQLFluff renders models (DuckDB forms)."""


def concat(fields):
    return " || ".join(str(f) for f in fields)


def type_string():
    return "varchar"


def split_part(string_text, delimiter_text, part_number):
    return f"split_part({string_text}, {delimiter_text}, {part_number})"


def length(expression):
    return f"length({expression})"


def right(string_text, length_expression):
    return f"right({string_text}, {length_expression})"


def position(substring_text, string_text):
    return f"position({substring_text} in {string_text})"


def safe_cast(field, type):  # noqa: A002 - dbt's signature
    return f"cast({field} as {type})"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def __getattr__(name):
    """Any other dbt macro renders as a call of that name (enough to keep SQL parseable)."""
    if name.startswith("__"):
        raise AttributeError(name)
    return lambda *args, **kwargs: f"{name}()"
