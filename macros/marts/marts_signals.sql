{#- Helpers of int_household_signals__monthly: signals travel as small integer codes, and a
    household-month's signals are aggregated into two values (a bit mask of the codes present
    and the packed row counts of the tallied codes) instead of one conditional aggregate per
    signal: with millions of household-months the aggregate is the model's main cost. -#}

{#- case <expr> when '<name>' then <code> ... end, from a {name: code} mapping (or, with
    pick_first, a {name: (code, ...)} mapping) -#}
{% macro signals_code_of(expr, mapping, pick_first=false) -%}
    case {{ expr }}
        {%- for name, value in mapping.items() %}
        when '{{ name }}' then {{ value[0] if pick_first else value }}
        {%- endfor %}
    end
{%- endmacro %}

{#- Aggregate: the bit mask of the codes (0..62) present in the group. -#}
{% macro signals_mask(code_expr) -%}
    {{ return(adapter.dispatch('signals_mask', 'insight_hub')(code_expr)) }}
{%- endmacro %}

{% macro default__signals_mask(code_expr) -%}
    sum(distinct cast(power(2, {{ code_expr }}) as bigint))
{%- endmacro %}

{% macro duckdb__signals_mask(code_expr) -%}
    bit_or(cast(1 as bigint) << ({{ code_expr }}))
{%- endmacro %}

{#- true when the mask holds the code -#}
{% macro signals_has(mask_expr, code) -%}
    {{ return(adapter.dispatch('signals_has', 'insight_hub')(mask_expr, code)) }}
{%- endmacro %}

{% macro default__signals_has(mask_expr, code) -%}
    mod(floor({{ mask_expr }} / {{ 2 ** code }}), 2) = 1
{%- endmacro %}

{% macro duckdb__signals_has(mask_expr, code) -%}
    ({{ mask_expr }} & {{ 2 ** code }}) <> 0
{%- endmacro %}

{#- Aggregate columns counting, per tally (a list of code lists), the rows whose code is in it.
    DuckDB: one sum of 24-bit fields packed into a HUGEINT (column tallies_packed; a field
    would overflow only past 16.7 million rows in one household-month); elsewhere one sum
    per tally (tally_0, tally_1, ...). Read them back with signals_tally_of(). -#}
{% macro signals_tallies(code_expr, tallies) -%}
    {{ return(adapter.dispatch('signals_tallies', 'insight_hub')(code_expr, tallies)) }}
{%- endmacro %}

{% macro default__signals_tallies(code_expr, tallies) -%}
    {%- for codes in tallies %}
    sum(case when {{ code_expr }} in ({{ codes | join(', ') }}) then 1 else 0 end) as tally_{{ loop.index0 }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{% macro duckdb__signals_tallies(code_expr, tallies) -%}
    sum(case {{ code_expr }}
        {%- for codes in tallies %}
        {%- set field = loop.index0 %}
        {%- for code in codes %}
        when {{ code }} then cast(1 as hugeint) << {{ 24 * field }}
        {%- endfor %}
        {%- endfor %}
        else cast(0 as hugeint)
    end) as tallies_packed
{%- endmacro %}

{#- the count of tally number i (0-based) of signals_tallies() -#}
{% macro signals_tally_of(i) -%}
    {{ return(adapter.dispatch('signals_tally_of', 'insight_hub')(i)) }}
{%- endmacro %}

{% macro default__signals_tally_of(i) -%}
    tally_{{ i }}
{%- endmacro %}

{% macro duckdb__signals_tally_of(i) -%}
    cast((tallies_packed >> {{ 24 * i }}) & {{ 2 ** 24 - 1 }} as bigint)
{%- endmacro %}
