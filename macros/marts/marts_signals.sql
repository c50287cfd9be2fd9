{#- Helpers of int_household_signals__monthly: signals travel as small integer codes. -#}

{#- case <expr> when '<name>' then <code> ... end, from a {name: code} mapping (or, with
    pick_first, a {name: (code, ...)} mapping) -#}
{% macro signals_code_of(expr, mapping, pick_first=false) -%}
    case {{ expr }}
        {%- for name, value in mapping.items() %}
        when '{{ name }}' then {{ value[0] if pick_first else value }}
        {%- endfor %}
    end
{%- endmacro %}

{#- true when any row of the group carries the signal (and meets the condition) -#}
{% macro signals_flag(code, condition='') -%}
    max(case when signal_code = {{ code }}{{ (' and ' ~ condition) if condition }} then 1 else 0 end) = 1
{%- endmacro %}

{#- how many rows of the group carry one of the signals -#}
{% macro signals_tally(codes) -%}
    sum(case when signal_code in ({{ codes | join(', ') }}) then 1 else 0 end)
{%- endmacro %}
