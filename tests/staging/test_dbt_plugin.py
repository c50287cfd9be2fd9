"""The dbt-duckdb plugin's keyed hash, without dbt."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest

from insight_hub.dbt_plugin import Plugin, make_arrow_keyed_hash, register
from insight_hub.pseudonymise import MissingKeyError


@pytest.mark.parametrize("key", [b"k" * 32, b"x" * 64, b"long-" * 40])
def test_keyed_hash_is_hmac_sha256(key):
    import pyarrow as pa

    keyed_hash = make_arrow_keyed_hash(key)
    for value in ["", "housing/tenancies/T123456", "Zoë Núñez", "x" * 500]:
        (digest,) = keyed_hash(pa.array([value])).to_pylist()
        assert digest == hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("key", [b"k" * 32, b"long-" * 40])
def test_arrow_keyed_hash_batches_repeats_nulls_and_empty(key):
    import pyarrow as pa

    keyed_hash = make_arrow_keyed_hash(key)
    values = ["a", None, "Zoë Núñez", "a", "", "housing/tenancies/T1", None, "a"]
    for batch in (pa.array(values), pa.chunked_array([values[:3], values[3:]])):
        assert keyed_hash(batch).to_pylist() == [
            None if v is None else hmac.new(key, v.encode(), hashlib.sha256).hexdigest()
            for v in values
        ]
    assert keyed_hash(pa.array([], pa.string())).to_pylist() == []
    assert keyed_hash(pa.array([None, None], pa.string())).to_pylist() == [None, None]
    assert keyed_hash(pa.array(["x"], pa.large_string())).to_pylist() == [
        hmac.new(key, b"x", hashlib.sha256).hexdigest()
    ]


def test_registered_function_over_many_batches_with_repeats_and_nulls():
    key = b"k" * 32
    con = duckdb.connect()
    register(con, key)
    rows = con.execute(
        "select v, pseudonymise(v) from ("
        "  select case when i % 5 = 0 then null else 'id/' || (i % 3000)::varchar end as v"
        "  from range(10000) t(i))"
    ).fetchall()
    con.close()
    assert len(rows) == 10000
    for value, hashed in rows:
        expected = None if value is None else hmac.new(key, value.encode(), hashlib.sha256)
        assert hashed == (None if expected is None else expected.hexdigest())


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
