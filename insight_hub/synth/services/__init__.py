"""One module per council service; each builds that service's extracts (docs/extracts.md)."""
