"""The pseudonymisation key and the keyed hash (HMAC-SHA256) made with it.

The key lives outside the repo and the warehouse: in the environment variable
INSIGHT_HUB_KEY, or in the file named by INSIGHT_HUB_KEY_FILE (default
secrets/pseudonymisation.key, which git ignores). It is never written into SQL: the
DuckDB connection gets a function that closes over it (see insight_hub.dbt_plugin).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import click

KEY_ENV = "INSIGHT_HUB_KEY"
KEY_FILE_ENV = "INSIGHT_HUB_KEY_FILE"
DEFAULT_KEY_FILE = Path("secrets/pseudonymisation.key")
MIN_KEY_BYTES = 32


class MissingKeyError(RuntimeError):
    """No pseudonymisation key could be found."""


def key_file() -> Path:
    return Path(os.environ.get(KEY_FILE_ENV, DEFAULT_KEY_FILE))


def load_key() -> bytes:
    """The secret key, from the environment or the key file; a clear error if absent."""
    if os.environ.get(KEY_ENV):
        key = os.environ[KEY_ENV].strip().encode()
    else:
        path = key_file()
        if not path.is_file():
            raise MissingKeyError(
                f"No pseudonymisation key: set {KEY_ENV}, or {KEY_FILE_ENV} to a key file, "
                f"or run `insight-hub key init` to create a demo key at {path}."
            )
        key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise MissingKeyError(f"The pseudonymisation key is shorter than {MIN_KEY_BYTES} bytes.")
    return key


def keyed_hash(key: bytes, value: str | None) -> str | None:
    """HMAC-SHA256 of a value as 64 hex characters; None stays None."""
    if value is None:
        return None
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


@click.group()
def key():
    """Manage the pseudonymisation key (kept outside the repo and the warehouse)."""


@key.command("init")
@click.option("--force", is_flag=True, help="Replace an existing key (all pseudonyms change).")
def key_init(force: bool):
    """Create a random demo key file if none exists (secrets/ is git-ignored)."""
    if os.environ.get(KEY_ENV) and not force:
        click.echo(f"Using the key in ${KEY_ENV}; no key file needed.")
        return
    path = key_file()
    if path.exists() and not force:
        click.echo(f"Key file {path} already exists; keeping it.")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_hex(32) + "\n")
    path.chmod(0o600)
    click.echo(f"Created demo pseudonymisation key {path} (git-ignored; keep it secret).")
