"""The single-view models' own dbt tests (data tests and unit tests) on the built borough.

Primary keys unique and not null, relationships between the marts, accepted values, composite
grains (unique_combination), and the unit tests of the needs windows (no future leakage).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_single_view_dbt_tests_pass(borough):
    result = borough.dbt(
        "test",
        "--select",
        "path:models/intermediate",
        "path:models/marts/single_view",
        # only tests whose every parent is selected (not prediction's tests that ref a mart)
        "--indirect-selection",
        "cautious",
    )
    output = result.stdout + result.stderr
    tail = "\n".join(output.splitlines()[-30:])
    assert result.returncode == 0, f"dbt test failed:\n{tail}"
    assert "PASS=" in output
