"""The dbt-duckdb plugin's keyed hash, without dbt."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest

from insight_hub.dbt_plugin import Plugin, make_keyed_hash, register
from insight_hub.pseudonymise import MissingKeyError


@pytest.mark.parametrize("key", [b"k" * 32, b"x" * 64, b"long-" * 40])
def test_keyed_hash_is_hmac_sha256(key):
    keyed_hash = make_keyed_hash(key)
    for value in ["", "housing/tenancies/T123456", "Zoë Núñez", "x" * 500]:
        assert keyed_hash(value) == hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def test_registered_function_on_a_connection_and_its_cursors():
    con = duckdb.connect()
    register(con, b"k" * 32)
    expected = hmac.new(b"k" * 32, b"abc", hashlib.sha256).hexdigest()
    assert con.execute("select pseudonymise('abc'), pseudonymise(null)").fetchall() == [
        (expected, None)
    ]
    assert con.cursor().execute("select pseudonymise('abc')").fetchall() == [(expected,)]
    con.close()


def test_plugin_without_a_key_raises_the_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("INSIGHT_HUB_KEY", raising=False)
    monkeypatch.setenv("INSIGHT_HUB_KEY_FILE", str(tmp_path / "missing.key"))
    plugin = Plugin(name="dbt_plugin", plugin_config={})
    with pytest.raises(MissingKeyError, match="No pseudonymisation key"):
        plugin.configure_connection(duckdb.connect())
