"""Roles, declared once (governance/roles.yml), and what each serving mode makes of them.

A role is granted tables (`schema.table`, globs allowed; an exact name beats a glob); for each,
the columns it may read (`all`, `none`, `{allow: [...]}` or `{deny: [...]}`) and the rows (`all`,
or a predicate). Predicates are small YAML trees that compile to PostgreSQL (row-level security
policies) and to DuckDB (the WHERE clause of a per-role serving file):

    {column: known_to_housing, equals: true}           {column: service, in: [a, b]}
    {column: children, gt: 0}                          also gte, lt, lte
    {column: services_known, contains: housing}        a list (or delimited text) holds a value
    {column: service, contains_any: [a, b]}            ... any of these
    {column: ward_code, in_scope: ward}                the value is in the user's scope
    {column: household_key, visible_in: marts.dim_household}
                                                       a value the user may see in that table
                                                       (under that table's own policy)
    {all: [p, q]}   {any: [p, q]}                      and / or

Scopes (ward, caseload, ...) are rows (grantee, scope, value) kept by the serving database
(`governance.role_scope` in PostgreSQL), keyed by a role or a login user; the per-role DuckDB files
apply the scope values granted to the role itself. `demo_scope` samples values from the
published data so that the demo users see something.

Partner roles (`partner: true`) may only be granted tables in the shared schema (the suppressed
aggregates): the loader refuses anything else.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from insight_hub.governance import DEFAULT_ROLES, DeclarationError

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
SPLIT_RE = r"\s*[,;|]\s*"  # how a delimited text column is split by `contains`
POLICY_SUFFIX = "_read"


# -- predicates -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cmp:
    column: str
    op: str  # one of OPS
    value: Any


@dataclass(frozen=True)
class BoolOp:
    op: str  # all | any
    items: tuple


COMPARE = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
OPS = ("equals", "in", "contains", "contains_any", "in_scope", "visible_in", *COMPARE)


def parse_predicate(raw: Any, where: str):
    """YAML -> predicate tree; None means every row."""
    if raw is None or raw is True or raw == "all":
        return None
    if isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in ("all", "any"):
        op, items = next(iter(raw.items()))
        if not isinstance(items, list) or not items:
            raise DeclarationError(f"{where}: {op} needs a non-empty list")
        parsed = tuple(parse_predicate(i, f"{where}.{op}") for i in items)
        if any(p is None for p in parsed):
            raise DeclarationError(f"{where}: `all` rows cannot sit inside {op}")
        return BoolOp(op, parsed)
    if isinstance(raw, dict) and "column" in raw:
        ops = [k for k in raw if k != "column"]
        if len(ops) != 1 or ops[0] not in OPS:
            raise DeclarationError(f"{where}: give `column` and one of {', '.join(OPS)}")
        op = ops[0]
        value = raw[op]
        if op in ("in", "contains_any"):
            if not isinstance(value, list) or not value:
                raise DeclarationError(f"{where}: {op} needs a non-empty list")
            value = tuple(value)
        elif isinstance(value, (list, dict)) or value is None:
            raise DeclarationError(f"{where}: {op} needs a single value")
        elif op == "visible_in" and (
            "." not in str(value) or any(ch in str(value) for ch in "*?[")
        ):
            raise DeclarationError(f"{where}: visible_in needs a schema.table name")
        return Cmp(str(raw["column"]), op, value)
    raise DeclarationError(f"{where}: not a row predicate: {raw!r}")


def predicate_columns(pred) -> set[str]:
    if pred is None:
        return set()
    if isinstance(pred, Cmp):
        return {pred.column}
    return set().union(*(predicate_columns(p) for p in pred.items))


def predicate_visible(pred) -> set[tuple[str, str]]:
    """(table, column) pairs a predicate needs the role to see (visible_in)."""
    if pred is None:
        return set()
    if isinstance(pred, Cmp):
        return {(str(pred.value), pred.column)} if pred.op == "visible_in" else set()
    return set().union(*(predicate_visible(p) for p in pred.items))


def predicate_scopes(pred) -> set[str]:
    if pred is None:
        return set()
    if isinstance(pred, Cmp):
        return {str(pred.value)} if pred.op == "in_scope" else set()
    return set().union(*(predicate_scopes(p) for p in pred.items))


def describe(pred) -> str:
    """A human reading of a predicate (for the docs and the governance pack)."""
    if pred is None:
        return "all rows"
    if isinstance(pred, BoolOp):
        joiner = " and " if pred.op == "all" else " or "
        return joiner.join(
            f"({describe(p)})" if isinstance(p, BoolOp) else describe(p) for p in pred.items
        )
    v = pred.value
    if pred.op == "equals":
        return f"{pred.column} = {v!r}"
    if pred.op == "in":
        return f"{pred.column} in ({', '.join(repr(x) for x in v)})"
    if pred.op == "contains":
        return f"{pred.column} contains {v!r}"
    if pred.op == "contains_any":
        return f"{pred.column} contains any of ({', '.join(repr(x) for x in v)})"
    if pred.op in COMPARE:
        return f"{pred.column} {COMPARE[pred.op]} {v!r}"
    if pred.op == "visible_in":
        return f"{pred.column} is one the user may see in {v}"
    return f"{pred.column} in the user's {v} scope"


def quote_ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def quote_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def qualified(table: str) -> str:
    schema, _, name = table.partition(".")
    return f"{quote_ident(schema)}.{quote_ident(name)}"


def is_list_type(type_name: str | None) -> bool:
    t = (type_name or "").upper()
    return t.endswith("[]") or t.startswith("LIST")


def compile_predicate(pred, dialect: str, types: dict[str, str], scope_sql) -> str:
    """SQL boolean expression for `dialect` ("postgres" | "duckdb").

    `types` maps column -> DuckDB type name (to tell lists from delimited text);
    `scope_sql(scope)` returns a subquery yielding the scope's values as text.
    """
    if pred is None:
        return "TRUE"
    if isinstance(pred, BoolOp):
        joiner = " AND " if pred.op == "all" else " OR "
        return (
            "("
            + joiner.join(compile_predicate(p, dialect, types, scope_sql) for p in pred.items)
            + ")"
        )
    col = quote_ident(pred.column)
    if pred.op == "equals":
        return f"{col} = {quote_literal(pred.value)}"
    if pred.op == "in":
        return f"{col} IN ({', '.join(quote_literal(v) for v in pred.value)})"
    if pred.op in COMPARE:
        return f"{col} {COMPARE[pred.op]} {quote_literal(pred.value)}"
    if pred.op == "visible_in":
        # PostgreSQL applies the user's own grants and policies to the subquery; the DuckDB
        # role file holds only the rows the role may see of that table.
        return f"{col} IN (SELECT {col} FROM {qualified(str(pred.value))})"
    if pred.op == "in_scope":
        cast = f"CAST({col} AS {'TEXT' if dialect == 'postgres' else 'VARCHAR'})"
        return f"{cast} IN ({scope_sql(str(pred.value))})"
    # contains / contains_any: on a list column, or on delimited text
    if is_list_type(types.get(pred.column)):
        arr = col
    else:
        arr = f"regexp_split_to_array({col}, {quote_literal(SPLIT_RE)})"
    values = [pred.value] if pred.op == "contains" else list(pred.value)
    if dialect == "postgres":
        if pred.op == "contains":
            return f"{quote_literal(pred.value)} = ANY({arr})"
        return f"({arr})::text[] && ARRAY[{', '.join(quote_literal(v) for v in values)}]::text[]"
    if pred.op == "contains":
        return f"list_contains({arr}, {quote_literal(pred.value)})"
    return f"list_has_any({arr}, [{', '.join(quote_literal(v) for v in values)}])"


# -- the declaration --------------------------------------------------------------------------
@dataclass
class ColumnSpec:
    mode: str  # all | allow | deny | none (no access: overrides a glob)
    names: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.mode == "all":
            return "all columns"
        if self.mode == "none":
            return "no access"
        return f"{self.mode}: {', '.join(self.names)}"


@dataclass
class TableGrant:
    table: str  # schema.table, globs allowed
    columns: ColumnSpec
    rows: Any  # predicate or None

    @property
    def is_glob(self) -> bool:
        return any(ch in self.table for ch in "*?[")

    def matches(self, relation: str) -> bool:
        return fnmatch.fnmatchcase(relation, self.table)


@dataclass
class ScopeSample:
    """Demo scope values: the first `limit` distinct values of a column of a published table."""

    table: str
    column: str
    where: Any = None
    limit: int = 3


@dataclass
class Role:
    name: str
    description: str
    purposes: tuple[str, ...]
    partner: bool
    tables: list[TableGrant]
    demo_scope: dict[str, ScopeSample] = field(default_factory=dict)
    demo_user: bool = True

    @property
    def demo_login(self) -> str:
        return f"{self.name}_demo"

    def scopes(self) -> set[str]:
        return (
            set().union(*(predicate_scopes(g.rows) for g in self.tables)) if self.tables else set()
        )


@dataclass
class Roles:
    path: Path
    serving_schemas: tuple[str, ...]
    shared_schema: str
    governance_schema: str
    revoke_connect: bool
    scopes: dict[str, str]  # name -> description
    roles: dict[str, Role]

    def grants_for(self, relation: str) -> dict[str, TableGrant]:
        """role -> its grant on one relation (an exact name beats a glob; first glob wins)."""
        out: dict[str, TableGrant] = {}
        for role in self.roles.values():
            exact = [g for g in role.tables if not g.is_glob and g.table == relation]
            globs = [g for g in role.tables if g.is_glob and g.matches(relation)]
            if exact or globs:
                out[role.name] = (exact or globs)[0]
        return out


def load_roles(path: str | Path = DEFAULT_ROLES, register=None) -> Roles:
    """Load and validate governance/roles.yml (against the purpose register, if given)."""
    path = Path(path)
    if not path.is_file():
        raise DeclarationError(f"No roles declaration at {path}")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise DeclarationError(f"{path} is not valid YAML: {exc}") from exc
    return parse_roles(raw, path, register)


def _columns(raw: Any, where: str) -> ColumnSpec:
    if raw in ("all", "none"):
        return ColumnSpec(raw)
    if isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in ("allow", "deny"):
        mode, names = next(iter(raw.items()))
        if not isinstance(names, list) or (mode == "allow" and not names):
            raise DeclarationError(f"{where}: {mode} needs a list of column names")
        return ColumnSpec(mode, tuple(str(n) for n in names))
    raise DeclarationError(
        f"{where}: columns must be `all`, `none`, {{allow: [...]}} or {{deny: [...]}}"
    )


def parse_roles(raw: dict, path: Path = DEFAULT_ROLES, register=None) -> Roles:
    if not isinstance(raw, dict):
        raise DeclarationError(f"{path}: expected a mapping at the top level")
    problems: list[str] = []
    serving = raw.get("serving") or {}
    pg = raw.get("postgres") or {}
    schemas = tuple(serving.get("schemas") or ("marts", "shared"))
    shared = str(serving.get("shared_schema", "shared"))
    gov_schema = str(pg.get("governance_schema", "governance"))
    scopes = {
        str(k): str((v or {}).get("description", "")) for k, v in (raw.get("scopes") or {}).items()
    }
    if shared not in schemas:
        problems.append(f"serving.shared_schema {shared!r} is not among serving.schemas")
    if gov_schema in schemas:
        problems.append("postgres.governance_schema must not be a serving schema")

    roles: dict[str, Role] = {}
    demo_logins: set[str] = set()
    for name, spec in (raw.get("roles") or {}).items():
        where = f"role {name}"
        spec = spec or {}
        if not NAME_RE.match(str(name)):
            problems.append(f"{where}: name must match {NAME_RE.pattern}")
        tables: list[TableGrant] = []
        for table, tspec in (spec.get("tables") or {}).items():
            twhere = f"{where}, table {table}"
            tspec = tspec or {}
            schema, dot, _ = str(table).partition(".")
            if not dot:
                problems.append(f"{twhere}: name tables as schema.table")
                continue
            if schema not in schemas:
                problems.append(f"{twhere}: schema {schema!r} is not a serving schema {schemas}")
            try:
                if "columns" not in tspec:
                    raise DeclarationError(f"{twhere}: `columns` is required (all, allow or deny)")
                cols = _columns(tspec.get("columns"), twhere)
                rows = parse_predicate(tspec.get("rows", "all"), f"{twhere}.rows")
            except DeclarationError as exc:
                problems.append(str(exc))
                continue
            for scope in predicate_scopes(rows):
                if scope not in scopes:
                    problems.append(f"{twhere}: scope {scope!r} is not declared under scopes")
            tables.append(TableGrant(str(table), cols, rows))
        partner = bool(spec.get("partner", False))
        if partner:
            for g in tables:
                if g.table.partition(".")[0] != shared:
                    problems.append(
                        f"{where}: a partner role may only read the shared schema "
                        f"({shared}.*, suppressed aggregates), not {g.table}"
                    )
        if not tables:
            problems.append(f"{where}: grants no tables")
        purposes = tuple(spec.get("purposes") or ())
        if not purposes:
            problems.append(f"{where}: purposes are required (why the role needs the data)")
        if register is not None:
            for p in purposes:
                if register.resolve(p) is None:
                    problems.append(f"{where}: purpose {p!r} is not in the purpose register")
        demo: dict[str, ScopeSample] = {}
        for scope, sspec in (spec.get("demo_scope") or {}).items():
            swhere = f"{where}, demo_scope {scope}"
            sspec = sspec or {}
            if scope not in scopes:
                problems.append(f"{swhere}: scope {scope!r} is not declared under scopes")
            try:
                sample_where = parse_predicate(sspec.get("where", "all"), f"{swhere}.where")
                if predicate_scopes(sample_where) or predicate_visible(sample_where):
                    raise DeclarationError(f"{swhere}: where may not use in_scope or visible_in")
                demo[scope] = ScopeSample(
                    table=str(sspec["from"]),
                    column=str(sspec["column"]),
                    where=sample_where,
                    limit=int(sspec.get("limit", 3)),
                )
            except KeyError as exc:
                problems.append(f"{swhere}: {exc.args[0]!r} is required")
            except DeclarationError as exc:
                problems.append(str(exc))
        role = Role(
            name=str(name),
            description=str(spec.get("description", "")).strip(),
            purposes=purposes,
            partner=partner,
            tables=tables,
            demo_scope=demo,
            demo_user=bool(spec.get("demo_user", True)),
        )
        if role.demo_user:
            demo_logins.add(role.demo_login)
        roles[str(name)] = role
    clash = demo_logins & set(roles)
    if clash:
        problems.append(f"demo login names clash with role names: {sorted(clash)}")
    if not roles:
        problems.append("no roles declared")
    if problems:
        raise DeclarationError(f"{path}: " + "; ".join(problems))
    return Roles(
        path=path,
        serving_schemas=schemas,
        shared_schema=shared,
        governance_schema=gov_schema,
        revoke_connect=bool(pg.get("revoke_connect_from_public", True)),
        scopes=scopes,
        roles=roles,
    )


# -- resolving against the tables that exist --------------------------------------------------
@dataclass
class Access:
    """One role's access to one existing table: the columns it may read and the row filter."""

    role: str
    table: str
    columns: list[str]
    rows: Any
    types: dict[str, str]


@dataclass
class Resolution:
    access: list[Access]
    tables: dict[str, list[tuple[str, str]]]  # every published table -> [(column, duckdb type)]
    warnings: list[str]

    def for_role(self, role: str) -> list[Access]:
        return [a for a in self.access if a.role == role]

    def for_table(self, table: str) -> list[Access]:
        return [a for a in self.access if a.table == table]


def resolve(roles: Roles, tables: dict[str, list[tuple[str, str]]]) -> Resolution:
    """Match the declaration to the tables that exist (`schema.table` -> [(column, type)]).

    Unknown allow/deny columns and declared tables that do not exist are warnings (the access is
    simply narrower: fail closed). A row filter on a column the table lacks is an error: no
    policy could be built, so nothing is granted.
    """
    access: list[Access] = []
    warnings: list[str] = []
    published = {
        t: cols for t, cols in tables.items() if t.partition(".")[0] in roles.serving_schemas
    }
    for role in roles.roles.values():
        for g in role.tables:
            if not g.is_glob and g.table not in published:
                warnings.append(f"role {role.name}: table {g.table} is not published")
    for table in sorted(published):
        cols = published[table]
        names = [c for c, _ in cols]
        types = dict(cols)
        for role_name, g in sorted(roles.grants_for(table).items()):
            if g.columns.mode == "none":
                continue
            if g.columns.mode == "all":
                chosen = names
            elif g.columns.mode == "allow":
                missing = [c for c in g.columns.names if c not in types]
                if missing:
                    warnings.append(
                        f"role {role_name}: {table} has no column(s) {', '.join(missing)} "
                        "(allow-list)"
                    )
                chosen = [c for c in names if c in g.columns.names]
            else:
                missing = [c for c in g.columns.names if c not in types]
                if missing:
                    warnings.append(
                        f"role {role_name}: {table} has no column(s) {', '.join(missing)} "
                        "(deny-list)"
                    )
                chosen = [c for c in names if c not in g.columns.names]
            absent = predicate_columns(g.rows) - set(names)
            if absent:
                raise DeclarationError(
                    f"role {role_name}: the row filter on {table} uses column(s) "
                    f"{', '.join(sorted(absent))} that the table lacks"
                )
            if not chosen:
                warnings.append(f"role {role_name}: no columns of {table} remain; not granted")
                continue
            access.append(Access(role_name, table, chosen, g.rows, types))

    # visible_in: the role must see the referenced table and column (else the filter is wrong);
    # if that table is not published, the access that needs it is dropped (fail closed).
    by_key = {(a.role, a.table): a for a in access}
    kept: list[Access] = []
    for a in access:
        ok = True
        for ref_table, column in sorted(predicate_visible(a.rows)):
            if ref_table not in published:
                warnings.append(
                    f"role {a.role}: {a.table} filters on {ref_table}, which is not published; "
                    "not granted"
                )
                ok = False
                continue
            ref = by_key.get((a.role, ref_table))
            if ref is None or column not in ref.columns:
                raise DeclarationError(
                    f"role {a.role}: the row filter on {a.table} needs {ref_table}.{column}, "
                    "which the role may not read"
                )
        if ok:
            kept.append(a)
    order = _visible_order(kept)
    return Resolution(order, published, warnings)


def _visible_order(access: list[Access]) -> list[Access]:
    """Each role's tables ordered so that a table comes after those its filter reads
    (visible_in); a cycle is a declaration error."""
    out: list[Access] = []
    for role in dict.fromkeys(a.role for a in access):
        mine = {a.table: a for a in access if a.role == role}
        done: set[str] = set()
        visiting: set[str] = set()

        def visit(table: str, role=role, mine=mine, done=done, visiting=visiting) -> None:
            if table in done:
                return
            if table in visiting:
                raise DeclarationError(f"role {role}: visible_in filters form a cycle at {table}")
            visiting.add(table)
            for ref, _ in sorted(predicate_visible(mine[table].rows)):
                if ref in mine:
                    visit(ref)
            visiting.discard(table)
            done.add(table)
            out.append(mine[table])

        for table in sorted(mine):
            visit(table)
    return out


# -- PostgreSQL -------------------------------------------------------------------------------
def scope_function(roles: Roles) -> str:
    return f"{quote_ident(roles.governance_schema)}.scope_values"


def pg_scope_sql(roles: Roles):
    fn = scope_function(roles)
    return lambda scope: f"SELECT {fn}({quote_literal(scope)})"


def _create_role(name: str, login: bool, comment: str) -> list[str]:
    attrs = "LOGIN" if login else "NOLOGIN"
    safe = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    return [
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = "
        f"{quote_literal(name)}) THEN CREATE ROLE {quote_ident(name)} {attrs}; END IF; END $$",
        f"ALTER ROLE {quote_ident(name)} {attrs} {safe}",
        f"COMMENT ON ROLE {quote_ident(name)} IS {quote_literal(comment)}",
    ]


def postgres_sql(roles: Roles, resolution: Resolution) -> list[str]:
    """The statements that enforce the roles in PostgreSQL, in order. No passwords: demo users
    are created LOGIN without one; postgres.py sets passwords at run time."""
    gov = quote_ident(roles.governance_schema)
    fn = scope_function(roles)
    scope_sql = pg_scope_sql(roles)
    out: list[str] = ["-- Roles: NOLOGIN group roles, one per declared role; demo LOGIN users"]
    for role in roles.roles.values():
        comment = f"insight-hub role: {role.description or role.name}"
        out += _create_role(role.name, False, comment)
        if role.demo_user:
            out += _create_role(role.demo_login, True, f"insight-hub demo user of {role.name}")
            out.append(f"GRANT {quote_ident(role.name)} TO {quote_ident(role.demo_login)}")
    all_roles = ", ".join(quote_ident(r) for r in roles.roles)

    out.append("-- Nothing for PUBLIC: only the declared roles connect and read")
    if roles.revoke_connect:
        out.append(
            "DO $$ BEGIN EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', "
            "current_database()); "
            f"EXECUTE format('GRANT CONNECT ON DATABASE %I TO {all_roles}', "
            "current_database()); END $$"
        )
    out.append("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    for schema in roles.serving_schemas:
        s = quote_ident(schema)
        out.append(f"CREATE SCHEMA IF NOT EXISTS {s}")
        out.append(f"REVOKE ALL ON SCHEMA {s} FROM PUBLIC")
        out.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC")

    out.append("-- Scopes: (grantee, scope, value) rows; policies ask scope_values(scope)")
    out += [
        f"CREATE SCHEMA IF NOT EXISTS {gov}",
        f"REVOKE ALL ON SCHEMA {gov} FROM PUBLIC",
        f"CREATE TABLE IF NOT EXISTS {gov}.role_scope (grantee text NOT NULL, scope text NOT NULL, "
        "value text NOT NULL, origin text NOT NULL DEFAULT 'declared', "
        "PRIMARY KEY (grantee, scope, value))",
        f"REVOKE ALL ON {gov}.role_scope FROM PUBLIC",
        # SECURITY DEFINER so that users need no access to the scope table; session_user (the
        # login) because current_user inside the function is its owner.
        f"CREATE OR REPLACE FUNCTION {fn}(p_scope text) RETURNS SETOF text LANGUAGE sql STABLE "
        "SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$ "
        f"SELECT s.value FROM {gov}.role_scope s "
        "JOIN pg_catalog.pg_roles r ON r.rolname = s.grantee "
        "WHERE s.scope = p_scope AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER') $fn$",
        f"REVOKE ALL ON FUNCTION {fn}(text) FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA {gov} TO {all_roles}",
        f"GRANT EXECUTE ON FUNCTION {fn}(text) TO {all_roles}",
        f"DELETE FROM {gov}.role_scope WHERE origin = 'demo'",
    ]
    for role in roles.roles.values():
        for scope, sample in role.demo_scope.items():
            if sample.table not in resolution.tables:
                continue
            types = dict(resolution.tables[sample.table])
            where = compile_predicate(sample.where, "postgres", types, scope_sql)
            out.append(
                f"INSERT INTO {gov}.role_scope (grantee, scope, value, origin) "
                f"SELECT {quote_literal(role.name)}, {quote_literal(scope)}, v, 'demo' FROM "
                f"(SELECT DISTINCT CAST({quote_ident(sample.column)} AS text) AS v "
                f"FROM {qualified(sample.table)} WHERE {where} "
                f"AND {quote_ident(sample.column)} IS NOT NULL ORDER BY 1 LIMIT {sample.limit}) d "
                "ON CONFLICT DO NOTHING"
            )

    out.append("-- Tables: row-level security on every published table; column grants; policies")
    granted_schemas: dict[str, set[str]] = {}
    for table in sorted(resolution.tables):
        t = qualified(table)
        out += [
            f"REVOKE ALL ON {t} FROM PUBLIC",
            f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {t} FORCE ROW LEVEL SECURITY",
        ]
        for a in resolution.for_table(table):
            schema = table.partition(".")[0]
            granted_schemas.setdefault(schema, set()).add(a.role)
            policy = quote_ident(a.role + POLICY_SUFFIX)
            cols = ", ".join(quote_ident(c) for c in a.columns)
            expr = compile_predicate(a.rows, "postgres", a.types, scope_sql)
            out += [
                f"GRANT SELECT ({cols}) ON {t} TO {quote_ident(a.role)}",
                f"DROP POLICY IF EXISTS {policy} ON {t}",
                f"CREATE POLICY {policy} ON {t} AS PERMISSIVE FOR SELECT "
                f"TO {quote_ident(a.role)} USING ({expr})",
            ]
    for schema, role_names in sorted(granted_schemas.items()):
        out.append(
            f"GRANT USAGE ON SCHEMA {quote_ident(schema)} TO "
            + ", ".join(quote_ident(r) for r in sorted(role_names))
        )
    return out


def postgres_script(roles: Roles, resolution: Resolution) -> str:
    """The statements as one psql-runnable script (for review, or to apply by hand)."""
    lines = ["-- Generated by insight-hub from " + str(roles.path) + "; do not edit.", "BEGIN;"]
    for stmt in postgres_sql(roles, resolution):
        lines.append(stmt if stmt.startswith("--") else stmt + ";")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"
