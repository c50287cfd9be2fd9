"""A growable table of numpy columns (the simulation appends people and households)."""

from __future__ import annotations

import numpy as np


class Table:
    def __init__(self, schema: dict[str, tuple[np.dtype, object]], capacity: int = 1024):
        self.schema = schema
        self.n = 0
        self.cols: dict[str, np.ndarray] = {}
        for name, (dtype, fill) in schema.items():
            a = np.empty(capacity, dtype=dtype)
            a[:] = fill
            self.cols[name] = a

    def __getattr__(self, name):
        cols = self.__dict__.get("cols")
        if cols is not None and name in cols:
            return cols[name][: self.n]
        raise AttributeError(name)

    def __len__(self):
        return self.n

    def _grow(self, need: int) -> None:
        cap = len(next(iter(self.cols.values())))
        if need <= cap:
            return
        new_cap = max(need, cap * 2)
        for name, (dtype, fill) in self.schema.items():
            a = np.empty(new_cap, dtype=dtype)
            a[:] = fill
            a[: self.n] = self.cols[name][: self.n]
            self.cols[name] = a

    def append(self, **values) -> np.ndarray:
        """Append rows (all given columns the same length); returns their indices."""
        k = len(next(iter(values.values())))
        self._grow(self.n + k)
        for name, v in values.items():
            self.cols[name][self.n : self.n + k] = v
        idx = np.arange(self.n, self.n + k)
        self.n += k
        return idx

    def col(self, name: str) -> np.ndarray:
        """A writable view of the live rows of a column."""
        return self.cols[name][: self.n]


class Spells:
    """Append-only list of (a, b, from, to) spells, assembled into arrays at the end."""

    def __init__(self):
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, a, b, start, end) -> None:
        a = np.asarray(a)
        if len(a):
            self.parts.append(
                (
                    a.astype(np.int32),
                    np.asarray(b, np.int32),
                    np.asarray(start, np.int32),
                    np.asarray(end, np.int32),
                )
            )

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if not self.parts:
            e = np.empty(0, np.int32)
            return e, e, e, e
        return tuple(np.concatenate([p[i] for p in self.parts]) for i in range(4))
