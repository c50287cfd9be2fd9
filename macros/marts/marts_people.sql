{#- Person attributes the single view publishes instead of identifiers. -#}

{#- Whole years between a date of birth and a date (portable: no engine's date_diff semantics). -#}
{% macro age_in_years(dob_expr, at_expr) -%}
    {{ return(adapter.dispatch('age_in_years', 'insight_hub')(dob_expr, at_expr)) }}
{%- endmacro %}

{% macro default__age_in_years(dob_expr, at_expr) -%}
    (extract(year from {{ at_expr }}) - extract(year from {{ dob_expr }})
        - case
            when extract(month from {{ at_expr }}) * 100 + extract(day from {{ at_expr }})
                < extract(month from {{ dob_expr }}) * 100 + extract(day from {{ dob_expr }})
                then 1
            else 0
        end)
{%- endmacro %}

{% macro duckdb__age_in_years(dob_expr, at_expr) -%}
    date_sub('year', {{ dob_expr }}, {{ at_expr }})
{%- endmacro %}

{#- The age bands of the single view (ONS-style, with the school and care thresholds). -#}
{% macro age_band(age_expr) -%}
    case
        when {{ age_expr }} is null then null
        when {{ age_expr }} < 5 then '0-4'
        when {{ age_expr }} < 11 then '5-10'
        when {{ age_expr }} < 16 then '11-15'
        when {{ age_expr }} < 18 then '16-17'
        when {{ age_expr }} < 25 then '18-24'
        when {{ age_expr }} < 35 then '25-34'
        when {{ age_expr }} < 50 then '35-49'
        when {{ age_expr }} < 65 then '50-64'
        when {{ age_expr }} < 75 then '65-74'
        else '75+'
    end
{%- endmacro %}

{%- macro age_band_values() -%}
    {{ return(['0-4', '5-10', '11-15', '16-17', '18-24', '25-34', '35-49', '50-64', '65-74', '75+']) }}
{%- endmacro -%}

{#- The six services, in the order the marts list them. -#}
{%- macro single_view_services() -%}
    {{ return(['revenues_benefits', 'housing', 'homelessness', 'childrens_social_care', 'adults_social_care', 'education']) }}
{%- endmacro -%}

{#-
    A published surrogate key made from a pseudonymous key: 64 hex characters (SHA-256), the
    shape of every key in the marts, so that identifier scans skip it as a key (a 32-hex MD5
    has digit runs that look like phone numbers). Engines without sha256() fall back to MD5.
-#}
{% macro single_view_key(expr) -%}
    {{ return(adapter.dispatch('single_view_key', 'insight_hub')(expr)) }}
{%- endmacro %}

{% macro default__single_view_key(expr) -%}
    {{ dbt.hash(expr) }}
{%- endmacro %}

{% macro duckdb__single_view_key(expr) -%}
    sha256(cast({{ expr }} as varchar))
{%- endmacro %}
