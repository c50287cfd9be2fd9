"""The dbt-duckdb plugin that gives every warehouse connection the keyed-hash function.

profiles.yml lists it (``plugins: [{module: insight_hub.dbt_plugin}]``); dbt-duckdb calls
``configure_connection`` on each new DuckDB connection, and this registers

    pseudonymise(VARCHAR) -> VARCHAR     HMAC-SHA256(key, value) as 64 hex characters

The key comes from :func:`insight_hub.pseudonymise.load_key` (``INSIGHT_HUB_KEY`` or the key
file). It is held only inside a Python closure: it never enters SQL text, so it cannot reach
compiled SQL, ``target/``, dbt's logs or artifacts, or the warehouse file. Without a key the
connection cannot be opened, so a build stops at once with the MissingKeyError message.

NULL in gives NULL out (DuckDB's default null handling: the function is not called).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from insight_hub.pseudonymise import MissingKeyError, load_key

FUNCTION_NAME = "pseudonymise"
_BLOCK = 64  # SHA-256 block size in bytes (RFC 2104)


def make_keyed_hash(key: bytes) -> Callable[[str], str]:
    """HMAC-SHA256 hex of a string, with the key's pads hashed once (RFC 2104).

    Equal to ``hmac.new(key, value.encode(), 'sha256').hexdigest()``, about twice as fast
    because the inner and outer pad states are prepared once and copied per value.
    """
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    inner_copy, outer_copy = inner.copy, outer.copy

    def keyed_hash(value: str) -> str:
        i = inner_copy()
        i.update(value.encode("utf-8"))
        o = outer_copy()
        o.update(i.digest())
        return o.hexdigest()

    return keyed_hash


def register(conn: Any, key: bytes, name: str = FUNCTION_NAME) -> None:
    """Register ``name(VARCHAR) -> VARCHAR`` on a DuckDB connection."""
    from duckdb.sqltypes import VARCHAR

    conn.create_function(
        name,
        make_keyed_hash(key),
        [VARCHAR],
        VARCHAR,
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
