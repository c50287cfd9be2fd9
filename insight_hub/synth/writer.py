"""CSV writing (pyarrow) and the malformed-row injection every extract goes through."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

# unparseable values in each date layout (a date that does not exist, a placeholder, text)
BAD_DATES = {
    "uk": ["31/02/2024", "00/00/0000", "N/K", "2024-05-13"],
    "iso": ["2024-02-30", "2024-13-01", "unknown", "13/05/2024"],
    "iso_time": ["2024-02-30 00:00:00", "0000-00-00 00:00:00", "N/K"],
    "dmy_abbr": ["31-Feb-2024", "00-Xxx-0000", "NK"],
    "mon_yyyy": ["Feb-24", "Sept-2024", "13-2024"],
}
_OPTIONS = pacsv.WriteOptions(include_header=True, quoting_header="none")


def to_arrow(columns: dict[str, np.ndarray]) -> pa.Table:
    arrays = {}
    for name, values in columns.items():
        if isinstance(values, pa.Array | pa.ChunkedArray):
            arrays[name] = values
            continue
        v = np.asarray(values)
        if v.dtype.kind == "U":
            arrays[name] = pa.array(v, type=pa.string())
        elif v.dtype.kind in "iub":
            arrays[name] = pa.array(v.astype(np.int64))
        elif v.dtype.kind == "f":
            arrays[name] = pa.array(v)
        else:
            try:
                arrays[name] = pa.array(v, type=pa.string(), from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arrays[name] = pa.array(
                    [None if x is None else str(x) for x in v], type=pa.string()
                )
    return pa.table(arrays)


def take(values: np.ndarray, index: np.ndarray) -> pa.Array:
    """values[index] as an Arrow string array (fast for long columns of repeated values)."""
    return pa.array(values, type=pa.string(), from_pandas=True).take(pa.array(np.asarray(index)))


def write_csv(columns: dict[str, np.ndarray], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = to_arrow(columns)
    pacsv.write_csv(table, path, write_options=_OPTIONS)
    return table.num_rows


def inject_malformed(rng: np.random.Generator, ex, rate: float) -> list[tuple]:
    """Replace one date or code per chosen row with an unparseable date / unknown code.

    Returns (service, source_file, row_number, column, kind, value) per malformed row;
    row_number counts data rows from 1 (the header is row 0).
    """
    targets = [(c, "date", layout) for c, layout in ex.dates.items()]
    targets += [(c, "code", code) for c, code in ex.codes.items()]
    if not targets or ex.n == 0:
        return []
    rows = np.flatnonzero(rng.random(ex.n) < rate)
    out = []
    for r in rows:
        col, kind, spec = targets[int(rng.integers(0, len(targets)))]
        value = (
            BAD_DATES[spec][int(rng.integers(0, len(BAD_DATES[spec])))] if kind == "date" else spec
        )
        arr = ex.columns[col]
        if arr.dtype != object:
            arr = arr.astype(object)
            ex.columns[col] = arr
        arr[r] = value
        out.append(
            (
                ex.service,
                ex.file,
                int(r) + 1,
                col,
                "unparseable_date" if kind == "date" else "unknown_code",
                value,
            )
        )
    return out
