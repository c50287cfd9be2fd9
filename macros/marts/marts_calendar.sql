{#-
    The calendar of the single view, computed from the extract date (var as_of_date) in Jinja,
    so that every model and test agrees on the same months without a query.

    - the needs window: the 36 calendar months that end with the month before the extract
      (as_of_date 2026-10-01 gives 2023-10 .. 2026-09);
    Months are also handled as integer indexes (year * 12 + month - 1), which keeps rolling
    windows to integer comparisons on every engine.
-#}

{#- The extract date as a 'YYYY-MM-DD' string (var as_of_date). -#}
{% macro marts_as_of_date() -%}
    {{ return(var('as_of_date') | string) }}
{%- endmacro %}

{% macro marts_needs_months() -%}
    {{ return(var('needs_window_months', 36) | int) }}
{%- endmacro %}

{#- month index (year * 12 + month - 1) of a 'YYYY-MM-DD' string -#}
{% macro marts_py_month_index(date_text) -%}
    {{ return((date_text[0:4] | int) * 12 + (date_text[5:7] | int) - 1) }}
{%- endmacro %}

{#- 'YYYY-MM-01' of a month index -#}
{% macro marts_py_month_of_index(idx) -%}
    {{ return('%04d-%02d-01' | format(idx // 12, idx % 12 + 1)) }}
{%- endmacro %}

{% macro marts_last_month_index() -%}
    {{ return(marts_py_month_index(marts_as_of_date()) - 1) }}
{%- endmacro %}

{% macro marts_first_month_index() -%}
    {{ return(marts_last_month_index() - marts_needs_months() + 1) }}
{%- endmacro %}

{#- SQL date literals -#}
{% macro marts_date_literal(date_text) -%}
    cast('{{ date_text }}' as date)
{%- endmacro %}

{% macro marts_as_of_date_sql() -%}
    {{ marts_date_literal(marts_as_of_date()) }}
{%- endmacro %}

{% macro marts_first_month_sql() -%}
    {{ marts_date_literal(marts_py_month_of_index(marts_first_month_index())) }}
{%- endmacro %}

{% macro marts_last_month_sql() -%}
    {{ marts_date_literal(marts_py_month_of_index(marts_last_month_index())) }}
{%- endmacro %}

{#- The month index (year * 12 + month - 1) of a date expression: portable SQL. -#}
{% macro month_index(date_expr) -%}
    (cast(extract(year from {{ date_expr }}) as integer) * 12
        + cast(extract(month from {{ date_expr }}) as integer) - 1)
{%- endmacro %}

{#- The first day of the month with the given integer index expression. -#}
{% macro month_from_index(index_expr) -%}
    {{ return(adapter.dispatch('month_from_index', 'insight_hub')(index_expr)) }}
{%- endmacro %}

{% macro default__month_from_index(index_expr) -%}
    cast({{ dbt.dateadd('month', '(' ~ index_expr ~ ') - 24000', "cast('2000-01-01' as date)") }} as date)
{%- endmacro %}

{% macro duckdb__month_from_index(index_expr) -%}
    make_date(cast(({{ index_expr }}) // 12 as integer), cast(({{ index_expr }}) % 12 + 1 as integer), 1)
{%- endmacro %}

{#-
    A month spine: one row per month index from first_index to last_index (inclusive, integers
    known at compile time), with its first day.  Columns: month_index, month.
-#}
{% macro month_spine(first_index, last_index) -%}
    select
        cast({{ first_index }} + generated_number - 1 as integer) as month_index,
        {{ month_from_index(first_index ~ ' + generated_number - 1') }} as month
    from ({{ dbt.generate_series(last_index - first_index + 1) }}) as series
{%- endmacro %}

{#- The month index `months` months before the needs window's first month. -#}
{% macro marts_month_index_before_window(months) -%}
    {{ return(marts_first_month_index() - months) }}
{%- endmacro %}
