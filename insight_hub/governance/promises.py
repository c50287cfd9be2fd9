"""The privacy notices' promises and what enforces them (governance/promises.yml).

Each promise names its mechanism, the code that implements it and the tests that prove it
(`tests/<file>.py` or `tests/<file>.py::<test function>`). Loading resolves every reference
against the repo: whether the file (and the function) exists, and the test's docstring, so the
governance pack prints what each test checks in its own words and a stale reference shows.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from insight_hub.governance import DeclarationError

FILE_NAME = "promises.yml"


@dataclass(frozen=True)
class TestRef:
    ref: str  # as declared: "tests/x.py" or "tests/x.py::test_y"
    path: str
    function: str | None
    exists: bool
    doc: str  # the first paragraph of the function's (or, for a file, the module's) docstring

    @property
    def title(self) -> str:
        """What the test checks, in words: its function name without `test_`, or its file."""
        if self.function:
            return self.function.removeprefix("test_").replace("_", " ")
        return self.doc or self.path


@dataclass(frozen=True)
class CodeRef:
    path: str
    exists: bool


@dataclass(frozen=True)
class Promise:
    key: str
    promise: str
    source: str
    notice: str
    mechanism: str
    code: tuple[CodeRef, ...]
    see: tuple[str, ...]
    tests: tuple[TestRef, ...]


@dataclass
class Promises:
    path: Path
    root: Path
    notices: dict[str, str]
    promises: list[Promise] = field(default_factory=list)

    def missing(self) -> list[str]:
        """References to tests or code that do not exist in the repo."""
        out = [f"{p.key}: test {t.ref}" for p in self.promises for t in p.tests if not t.exists]
        out += [f"{p.key}: code {c.path}" for p in self.promises for c in p.code if not c.exists]
        return out


def _first_paragraph(doc: str | None) -> str:
    return " ".join((doc or "").strip().split("\n\n")[0].split())


def _test_module(path: Path) -> tuple[str, dict[str, str]] | None:
    """(module docstring, {test function: docstring}) of a test file; None if unreadable."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    funcs = {
        node.name: _first_paragraph(ast.get_docstring(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return _first_paragraph(ast.get_docstring(tree)), funcs


def resolve_test(root: Path, ref: str, modules: dict | None = None) -> TestRef:
    path, _, function = ref.partition("::")
    modules = {} if modules is None else modules
    if path not in modules:
        modules[path] = _test_module(root / path) if (root / path).is_file() else None
    module = modules[path]
    if module is None:
        return TestRef(ref, path, function or None, False, "")
    module_doc, funcs = module
    if not function:
        return TestRef(ref, path, None, True, module_doc)
    exists = function in funcs
    doc = (funcs.get(function) or "") if exists else ""
    return TestRef(ref, path, function, exists, doc)


def _strings(value, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise DeclarationError(f"{where}: expected a list of strings")


def load_promises(path: str | Path, root: str | Path | None = None) -> Promises:
    """Load governance/promises.yml; test and code paths are relative to `root` (by default
    the folder above governance/). DeclarationError names every malformed entry."""
    path = Path(path)
    root = Path(root) if root is not None else path.resolve().parent.parent
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DeclarationError(f"{path}: cannot read the promises: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("promises"), list):
        raise DeclarationError(f"{path}: expected a mapping with a `promises` list")
    notices = {str(k): str(v) for k, v in (raw.get("notices") or {}).items()}
    out = Promises(path, root, notices)
    problems: list[str] = []
    seen: set[str] = set()
    modules: dict = {}  # each test file parsed once
    for i, spec in enumerate(raw["promises"]):
        if not isinstance(spec, dict):
            problems.append(f"promise {i + 1}: expected a mapping")
            continue
        key = str(spec.get("key") or f"#{i + 1}")
        where = f"promise {key}"
        if key in seen:
            problems.append(f"{where}: key used twice")
        seen.add(key)
        for name in ("key", "promise", "notice", "mechanism"):
            if not spec.get(name):
                problems.append(f"{where}: {name} is required")
        source = str(spec.get("source") or "")
        if source not in notices:
            problems.append(f"{where}: source {source!r} is not one of the notices")
        try:
            tests = _strings(spec.get("tests"), f"{where}.tests")
            code = _strings(spec.get("code"), f"{where}.code")
            see = _strings(spec.get("see"), f"{where}.see")
        except DeclarationError as exc:
            problems.append(str(exc))
            continue
        if not tests:
            problems.append(f"{where}: names no tests")
        out.promises.append(
            Promise(
                key=key,
                promise=str(spec.get("promise", "")).strip(),
                source=source,
                notice=" ".join(str(spec.get("notice", "")).split()),
                mechanism=" ".join(str(spec.get("mechanism", "")).split()),
                code=tuple(CodeRef(c, (root / c).exists()) for c in code),
                see=tuple(see),
                tests=tuple(resolve_test(root, t, modules) for t in tests),
            )
        )
    if problems:
        raise DeclarationError(f"{path}: " + "; ".join(problems))
    return out
