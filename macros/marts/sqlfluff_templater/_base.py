"""Load a module of the project's SQLFluff stand-ins (.sqlfluff_templater/, owned by staging)."""

import importlib.util
from pathlib import Path

BASE = Path(__file__).resolve().parents[3] / ".sqlfluff_templater"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"_project_sqlfluff_{name}", BASE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
