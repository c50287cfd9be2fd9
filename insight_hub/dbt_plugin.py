"""The dbt-duckdb plugin that gives every warehouse connection the keyed-hash function.

profiles.yml lists it (``plugins: [{module: insight_hub.dbt_plugin}]``); dbt-duckdb calls
``configure_connection`` on each new DuckDB connection, and this registers

    pseudonymise(VARCHAR) -> VARCHAR     HMAC-SHA256(key, value) as 64 hex characters

The key comes from :func:`insight_hub.pseudonymise.load_key` (``INSIGHT_HUB_KEY`` or the key
file). It is held only inside a Python closure: it never enters SQL text, so it cannot reach
compiled SQL, ``target/``, dbt's logs or artifacts, or the warehouse file. Without a key the
connection cannot be opened, so a build stops at once with the MissingKeyError message.

The function is vectorised (a DuckDB Arrow UDF): DuckDB hands it up to 2,048 values at a
time, it hashes each *distinct* value of the batch once, and NULL in gives NULL out. The
hashing itself stays in Python's hashlib (OpenSSL) under the GIL: about 1-1.5 us per value
for the two SHA-256 passes, ~2 s of CPU per million values inside DuckDB all told (measured
on this 2-core machine under load; the per-value native UDF costs about the same on DuckDB
2.0, so the gain is the dedupe within a batch and one Python call per 2,048 values).
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Callable
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from insight_hub.pseudonymise import MissingKeyError, load_key

FUNCTION_NAME = "pseudonymise"
_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104)


def _pads(key: bytes) -> tuple[Any, Any]:
    """The SHA-256 states after the inner and outer key pads (RFC 2104)."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    return inner, outer


def make_arrow_keyed_hash(key: bytes) -> Callable[[Any], Any]:
    """The keyed hash over an Arrow string array (a DuckDB ``type='arrow'`` UDF).

    Each distinct non-null value is hashed once (``dictionary_encode``; a batch of a fact
    table repeats its parents' ids), the digests are hex-encoded in one call and laid out
    as a string array of fixed 64-character values, and ``take`` spreads them back over
    the rows, NULL staying NULL.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    inner, outer = _pads(key)
    inner_copy, outer_copy = inner.copy, outer.copy
    hexlify = binascii.hexlify

    def keyed_hash_batch(values: Any) -> Any:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if values.type != pa.string():
            values = values.cast(pa.string())
        encoded = pc.dictionary_encode(values)
        distinct = encoded.dictionary.to_pylist()
        digests = []
        append = digests.append
        # The loop is the cost: kept flat (no call per value) on purpose.
        for value in distinct:
            i = inner_copy()
            i.update(value.encode("utf-8"))
            o = outer_copy()
            o.update(i.digest())
            append(o.digest())
        n = len(distinct)
        offsets = np.arange(0, 64 * (n + 1), 64, dtype=np.int32)
        hashed = pa.StringArray.from_buffers(
            n, pa.py_buffer(offsets), pa.py_buffer(hexlify(b"".join(digests)))
        )
        return hashed.take(encoded.indices)

    return keyed_hash_batch


def register(conn: Any, key: bytes, name: str = FUNCTION_NAME) -> None:
    """Register ``name(VARCHAR) -> VARCHAR`` on a DuckDB connection."""
    from duckdb.sqltypes import VARCHAR

    conn.create_function(
        name,
        make_arrow_keyed_hash(key),
        [VARCHAR],
        VARCHAR,
        # DuckDB's default null handling leaves NULLs out of the batch and gives NULL back.
        type="arrow",
        side_effects=False,
    )


class Plugin(BasePlugin):
    """Registers ``pseudonymise()`` on every DuckDB connection dbt opens.

    Optional plugin config (profiles.yml ``config:``): ``function_name`` (default
    ``pseudonymise``). The key itself is never configuration.
    """

    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.function_name = plugin_config.get("function_name", FUNCTION_NAME)
        self._key: bytes | None = None

    def _load_key(self) -> bytes:
        if self._key is None:
            try:
                self._key = load_key()
            except MissingKeyError as exc:
                # Re-raise without the chained traceback: one clear line in dbt's output.
                raise MissingKeyError(str(exc)) from None
        return self._key

    def configure_connection(self, conn: Any) -> None:
        register(conn, self._load_key(), self.function_name)
