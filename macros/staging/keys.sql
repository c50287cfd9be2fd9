{#-
    Pseudonymous keys. pseudonymise() is the keyed hash (HMAC-SHA256, hex) that the
    insight_hub.dbt_plugin registers on the DuckDB connection: the key never appears in SQL.
-#}

{% macro pseudonymise(expr) -%}
    {{ return(adapter.dispatch('pseudonymise', 'insight_hub')(expr)) }}
{%- endmacro %}

{% macro default__pseudonymise(expr) -%}
    {#- Other engines: register a UDF of the same name (Spark: a pandas UDF; Trino: a plugin). -#}
    pseudonymise({{ expr }})
{%- endmacro %}

{#-
    The pseudonymous key of a source record (docs/layers.md):
    pseudonymise('<service>/<source_file>/' || record_id). Every model that refers to a
    record (its own model, its facts, the objections register) calls this macro, so the
    key is computed the same way everywhere.
-#}
{% macro record_key(service, source_file, record_id_expr) -%}
    {{ record_key_from_columns("'" ~ service ~ "'", "'" ~ source_file ~ "'", record_id_expr) }}
{%- endmacro %}

{#- The same key when service and source file are columns (the objections register). -#}
{% macro record_key_from_columns(service_expr, source_file_expr, record_id_expr) -%}
    {{ pseudonymise(dbt.concat([service_expr, "'/'", source_file_expr, "'/'", record_id_expr])) }}
{%- endmacro %}
