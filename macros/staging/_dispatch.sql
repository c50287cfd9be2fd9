{#-
    Warehouse-specific SQL behind adapter.dispatch (default__ = portable SQL that runs on
    Spark, Trino and PostgreSQL with at most a small change; duckdb__ = the DuckDB form).
    Everything else in macros/staging builds on these and on dbt's cross-database macros.
-#}

{#-
    Fold accents: 'Zoë Núñez' -> 'Zoe Nunez'. Letters that are not a base letter plus an
    accent (ı Ł Ø Đ, and Æ ß Œ) are mapped explicitly, since Unicode decomposition leaves them.
-#}
{% macro strip_accents(expr) -%}
    {{ return(adapter.dispatch('strip_accents', 'insight_hub')(expr)) }}
{%- endmacro %}

{% macro fold_special_letters(expr) -%}
    replace(replace(replace(replace(replace(replace(
        translate({{ expr }}, 'ıŁłØøĐđĦħŦŧ', 'iLlOoDdHhTt'),
        'Æ', 'AE'), 'æ', 'ae'), 'Œ', 'OE'), 'œ', 'oe'), 'ß', 'ss'), 'ẞ', 'SS')
{%- endmacro %}

{% macro default__strip_accents(expr) -%}
    {{ fold_special_letters("translate(
        " ~ expr ~ ",
        'ÀÁÂÃÄÅĀĂĄÇĆČÈÉÊËĒĖĘĚÌÍÎÏĪĮİÑŃŇÒÓÔÕÖŌŐÙÚÛÜŪŮŰŲÝŸŹŻŽŠŚŞŘŤĎĹĽĞȘȚ'
        || 'àáâãäåāăąçćčèéêëēėęěìíîïīįñńňòóôõöōőùúûüūůűųýÿźżžšśşřťďĺľğșț',
        'AAAAAAAAACCCEEEEEEEEIIIIIIINNNOOOOOOOUUUUUUUUYYZZZSSSRTDLLGST'
        || 'aaaaaaaaaccceeeeeeeeiiiiiinnnooooooouuuuuuuuyyzzzsssrtdllgst'
    )") }}
{%- endmacro %}

{% macro duckdb__strip_accents(expr) -%}
    {{ fold_special_letters('strip_accents(' ~ expr ~ ')') }}
{%- endmacro %}

{#- Replace every match of a regular expression (RE2 syntax). -#}
{% macro regexp_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'insight_hub')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}

{% macro duckdb__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{#- True when the whole value matches the pattern (patterns here are anchored ^...$). -#}
{% macro regexp_like(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_like', 'insight_hub')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regexp_like(expr, pattern) -%}
    regexp_like({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__regexp_like(expr, pattern) -%}
    regexp_matches({{ expr }}, '{{ pattern }}')
{%- endmacro %}

{#- The text of capture group `group` of the first match ('' when no match on DuckDB). -#}
{% macro regexp_group(expr, pattern, group) -%}
    {{ return(adapter.dispatch('regexp_group', 'insight_hub')(expr, pattern, group)) }}
{%- endmacro %}

{% macro default__regexp_group(expr, pattern, group) -%}
    regexp_extract({{ expr }}, '{{ pattern }}', {{ group }})
{%- endmacro %}

{% macro duckdb__regexp_group(expr, pattern, group) -%}
    regexp_extract({{ expr }}, '{{ pattern }}', {{ group }})
{%- endmacro %}

{#-
    Parse a string with a strftime-style format into a DATE; NULL when it does not parse
    (an impossible date such as 31/02/2024 does not parse either).
-#}
{% macro try_parse_date(expr, strftime_format) -%}
    {{ return(adapter.dispatch('try_parse_date', 'insight_hub')(expr, strftime_format)) }}
{%- endmacro %}

{% macro default__try_parse_date(expr, strftime_format) -%}
    {#- Trino/Spark spell this try(date_parse(...)) / try_to_timestamp(...): override there. -#}
    cast(try_strptime({{ expr }}, '{{ strftime_format }}') as date)
{%- endmacro %}

{% macro duckdb__try_parse_date(expr, strftime_format) -%}
    cast(try_strptime({{ expr }}, '{{ strftime_format }}') as date)
{%- endmacro %}

{#- The source rows with their position in the file (1 = first row after the header). -#}
{% macro extract_rows(relation) -%}
    {{ return(adapter.dispatch('extract_rows', 'insight_hub')(relation)) }}
{%- endmacro %}

{% macro default__extract_rows(relation) -%}
    select
        row_number() over () as raw_row_number,
        *
    from {{ relation }}
{%- endmacro %}

{% macro duckdb__extract_rows(relation) -%}
    {%- if 'read_csv' in (relation | string) -%}
        {#- An external file: number the rows as the reader reads them. -#}
        select
            ordinality as raw_row_number,
            * exclude (ordinality)
        from {{ relation }} with ordinality
    {%- else -%}
        {#- A relation (e.g. a unit-test fixture): DuckDB's streaming row_number keeps order. -#}
        {{ default__extract_rows(relation) }}
    {%- endif -%}
{%- endmacro %}

{#-
    Cast, giving NULL when the value does not convert. dbt.safe_cast is a plain cast on
    adapters that do not override it (dbt-duckdb among them), so DuckDB gets try_cast here.
-#}
{% macro try_cast(expr, type) -%}
    {{ return(adapter.dispatch('try_cast', 'insight_hub')(expr, type)) }}
{%- endmacro %}

{% macro default__try_cast(expr, type) -%}
    {{ dbt.safe_cast(expr, type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expr, type) -%}
    try_cast({{ expr }} as {{ type }})
{%- endmacro %}

{#-
    `as materialized` for a CTE read twice, so its expressions are computed once (DuckDB and
    PostgreSQL accept the keyword; elsewhere the engine decides).
-#}
{% macro cte_materialized() -%}
    {{ return(adapter.dispatch('cte_materialized', 'insight_hub')()) }}
{%- endmacro %}

{% macro default__cte_materialized() -%}{%- endmacro %}

{% macro duckdb__cte_materialized() -%}materialized{%- endmacro %}

{% macro postgres__cte_materialized() -%}materialized{%- endmacro %}
