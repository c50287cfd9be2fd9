"""Direct identifiers: what they look like, how to find them in a column, how to mask them.

The gate scans every published column for values that look like a direct identifier. Each
pattern is a regular expression bounded so that it never matches inside a longer alphanumeric
run (a 64-hex pseudonymous key is not an NHS number), plus, where the identifier has one, its
check digit or check letter (NHS numbers: modulus 11; UPNs: modulus 23 check letter), so that
ordinary 10-digit numbers are not reported as NHS numbers.

Nothing here ever returns a found value: findings carry the pattern's name, a row count and the
value's *shape* (letters as ``A``, digits as ``9``), which is what the reports print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Alphanumeric boundaries: an identifier must not be part of a longer token.
_L = r"(?<![0-9A-Za-z])"
_R = r"(?![0-9A-Za-z])"

# NI numbers: HMRC's prefix rules with an optional suffix, or any two letters with the
# A-D suffix (test-style numbers such as QQ 12 34 56 C still count: better a false alarm).
NI_NUMBER = re.compile(
    _L + r"(?:(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r"[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]?"
    r"|[A-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D])" + _R,
    re.IGNORECASE,
)
NHS_NUMBER = re.compile(_L + r"(\d{3})[ -]?(\d{3})[ -]?(\d{4})" + _R)
UPN = re.compile(_L + r"([A-HJ-NP-RT-Z])(\d{11})([0-9A-HJ-NP-RT-Z])" + _R, re.IGNORECASE)
POSTCODE = re.compile(
    _L + r"(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})" + _R,
    re.IGNORECASE,
)
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
UK_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)44[ ]?(?:\(0\)[ ]?)?|\(?0)\d{2,4}\)?(?:[ \-]?\d){6,8}(?!\d)"
)
DATE_STRING = re.compile(
    _L + r"(?:(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)?\d{2})" + _R
)
# Column names that say "date of birth".
DOB_COLUMN = re.compile(r"(^|_)(dob|d_o_b|birth|born|birthday|date_of_birth|birth_date)(_|$)", re.I)
# Pseudonymous keys (HMAC-SHA256 hex) are never scanned: they are the point of the design.
HEX_KEY = re.compile(r"^[0-9a-f]{64}$")

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # the DfE check-letter alphabet: 23 letters

PATTERN_NAMES = (
    "ni_number",
    "nhs_number",
    "upn",
    "postcode",
    "email",
    "phone",
    "date_string",
    "date_of_birth_column",
    "nhs_number_integer",
    "identity_name",
)


def nhs_number_is_valid(digits: str) -> bool:
    """NHS number modulus 11: weights 10..2 on the first nine digits; 10 is never valid."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def upn_check_letter(body: str) -> str | None:
    """The DfE UPN check letter for characters 2-13 (weights 2..13, modulus 23)."""
    if len(body) != 12:
        return None
    total = 0
    for weight, ch in enumerate(body.upper(), start=2):
        if ch.isdigit():
            value = int(ch)
        elif ch in UPN_LETTERS and weight == 13:  # temporary UPNs end in a letter
            value = UPN_LETTERS.index(ch)
        else:
            return None
        total += value * weight
    return UPN_LETTERS[total % 23]


def upn_is_valid(upn: str) -> bool:
    upn = upn.upper()
    return len(upn) == 13 and upn_check_letter(upn[1:]) == upn[0]


def _nhs_in(text: str) -> bool:
    return any(nhs_number_is_valid("".join(m.groups())) for m in NHS_NUMBER.finditer(text))


def _upn_in(text: str) -> bool:
    return any(upn_is_valid("".join(m.groups())) for m in UPN.finditer(text))


def _re_in(rx: re.Pattern) -> callable:
    return lambda text: rx.search(text) is not None


def _groupless(rx: re.Pattern) -> re.Pattern:
    """The same pattern without capturing groups (a fast prefilter for pandas)."""
    return re.compile(re.sub(r"(?<!\\)\((?!\?)", "(?:", rx.pattern), rx.flags)


# name -> (prefilter regex, exact test on one string)
STRING_CHECKS: dict[str, tuple[re.Pattern, callable]] = {
    "ni_number": (NI_NUMBER, _re_in(NI_NUMBER)),
    "nhs_number": (_groupless(NHS_NUMBER), _nhs_in),
    "upn": (_groupless(UPN), _upn_in),
    "postcode": (POSTCODE, _re_in(POSTCODE)),
    "email": (EMAIL, _re_in(EMAIL)),
    "phone": (UK_PHONE, _re_in(UK_PHONE)),
    "date_string": (DATE_STRING, _re_in(DATE_STRING)),
}


def shape(value: object) -> str:
    """The value's shape, safe to print: letters become A, digits 9, the rest kept."""
    text = str(value)
    out = []
    for ch in text[:40]:
        if ch.isalpha():
            out.append("A")
        elif ch.isdigit():
            out.append("9")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(text) > 40 else "")


def identify(value: object) -> list[str]:
    """The names of the identifier patterns one value matches (empty when none)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        s = str(int(value))
        return ["nhs_number_integer"] if len(s) == 10 and nhs_number_is_valid(s) else []
    text = str(value)
    if HEX_KEY.match(text):
        return []
    return [name for name, (_, test) in STRING_CHECKS.items() if test(text)]


def mask(value: object, names: Iterable[str] = ()) -> str:
    """A printable stand-in for a value: its pattern and shape when it is an identifier.

    ``names`` are identity-layer names; a value containing one is masked too.
    """
    found = identify(value)
    if not found and names:
        upper = str(value).upper()
        tokens = set(re.findall(r"[A-Z][A-Z'\-]+", upper))
        if tokens & set(names):
            found = ["identity_name"]
    if found:
        return f"<{'/'.join(found)}: {shape(value)}>"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class ColumnFindings:
    """What the scan of one column found: pattern -> number of rows, and example shapes."""

    column: str
    counts: dict[str, int] = field(default_factory=dict)
    shapes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, name: str, rows: int, example_shapes: Iterable[str] = ()) -> None:
        if rows <= 0:
            return
        self.counts[name] = self.counts.get(name, 0) + int(rows)
        seen = self.shapes.setdefault(name, [])
        for s in example_shapes:
            if s not in seen and len(seen) < 3:
                seen.append(s)

    def as_dict(self) -> dict:
        return {"column": self.column, "counts": dict(self.counts), "shapes": dict(self.shapes)}


def _is_datetime_like(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if series.dtype == object:
        sample = series.dropna().head(50)
        import datetime as dt

        return len(sample) > 0 and all(isinstance(v, (dt.date, dt.datetime)) for v in sample)
    return False


def _is_string_like(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or series.dtype == object


def scan_column(
    series: pd.Series,
    *,
    column: str | None = None,
    ignore: Iterable[str] = (),
) -> ColumnFindings:
    """Scan one column for direct identifiers; ``ignore`` lists pattern names not to report."""
    column = str(column if column is not None else series.name)
    ignore = set(ignore)
    findings = ColumnFindings(column)
    non_null = series.dropna()
    if non_null.empty:
        return findings

    if _is_datetime_like(non_null):
        if DOB_COLUMN.search(column) and "date_of_birth_column" not in ignore:
            findings.add("date_of_birth_column", len(non_null), ["DATE"])
        return findings

    if pd.api.types.is_bool_dtype(non_null):
        return findings

    if pd.api.types.is_integer_dtype(non_null):
        if "nhs_number_integer" in ignore:
            return findings
        values = non_null.astype("int64")
        candidates = values[(values >= 10**9) & (values < 10**10)]
        if len(candidates):
            valid = candidates.astype(str).map(nhs_number_is_valid)
            findings.add("nhs_number_integer", int(valid.sum()), ["9999999999"])
        return findings

    if not _is_string_like(non_null):
        return findings

    text = _distinct_text(non_null)
    if text.empty:
        return findings
    if DOB_COLUMN.search(column) and "date_of_birth_column" not in ignore:
        dated = text[text.str.contains(DATE_STRING.pattern, regex=True)]
        if len(dated):
            findings.add(
                "date_of_birth_column",
                int(np.asarray(dated.index).sum()),
                [shape(v) for v in dated.head(3)],
            )
    for name, (rx, test) in STRING_CHECKS.items():
        if name in ignore:
            continue
        hits = text[text.str.contains(rx, regex=True)]
        if hits.empty:
            continue
        if name in ("nhs_number", "upn"):
            hits = hits[hits.map(test).astype(bool)]
        findings.add(name, int(np.asarray(hits.index).sum()), [shape(v) for v in hits.head(3)])
    return findings


def scan_names(
    series: pd.Series, names: frozenset[str] | set[str], min_tokens: int = 2
) -> ColumnFindings:
    """Rows of a text column containing identity-layer names as whole words.

    A value is a finding when at least ``min_tokens`` of its distinct words are names: 2 (the
    default) finds full names ("GEORGE WILSON") without flagging ordinary words that happen to
    be surnames too (a category "White", a ward "Park"); 1 is stricter.
    """
    findings = ColumnFindings(str(series.name))
    if not names or not _is_string_like(series):
        return findings
    non_null = series.dropna()
    if non_null.empty:
        return findings
    text = _distinct_text(non_null)
    tokens = text.str.upper().str.findall(r"[A-Z][A-Z'\-]+")
    need = max(1, int(min_tokens))
    hits = text[tokens.map(lambda ts: len({t for t in ts if t in names}) >= need).astype(bool)]
    if hits.empty:
        return findings
    rows = int(np.asarray(hits.index).sum())
    findings.add("identity_name", rows, [shape(v) for v in hits.head(3)])
    return findings


def _distinct_text(non_null: pd.Series) -> pd.Series:
    """Each distinct value as text, indexed by how many rows hold it, pseudonymous keys left
    out: scans run once per distinct value, so a 7 M-row key column or a category column (age
    bands, ward codes) costs what its distinct values cost."""
    counts = non_null.value_counts(sort=False)
    text = pd.Series(counts.index.astype(str), index=counts.to_numpy())
    return text[~text.str.fullmatch(HEX_KEY.pattern)]
