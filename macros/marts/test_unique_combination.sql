{#- Generic test: the combination of columns is unique (no dbt_utils here). Fails with one row
    per duplicated combination: its columns and n_rows. -#}
{% test unique_combination(model, columns) %}
    {{ return(adapter.dispatch('test_unique_combination', 'insight_hub')(model, columns)) }}
{% endtest %}

{% macro default__test_unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endmacro %}

{#- DuckDB: group first on a 64-bit hash of the combination (integers: half the CPU and memory
    of grouping millions of 64-character keys), then check the few colliding hashes on the
    columns themselves, so that a hash collision can never fail the test. -#}
{% macro duckdb__test_unique_combination(model, columns) %}
    with

    repeated_hashes as (

        select hash({{ columns | join(', ') }}) as row_hash
        from {{ model }}
        group by 1
        having count(*) > 1

    )

    select
        {{ columns | join(', ') }},
        count(*) as n_rows
    from {{ model }}
    where hash({{ columns | join(', ') }}) in (select row_hash from repeated_hashes)
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endmacro %}
