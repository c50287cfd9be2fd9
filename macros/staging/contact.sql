{#- Postcodes and phone numbers. -#}

{#-
    UK postcode, standardised: upper case, every non-alphanumeric dropped, then a single
    space before the inward code (last three characters): ' ab12cd' -> 'AB1 2CD'.
    The result is a candidate: postcode_is_valid() says whether it is a real UK layout.
-#}
{% macro standardise_postcode(expr) -%}
    {%- set compact = 'upper(' ~ regexp_replace_all(expr, '[^A-Za-z0-9]', '') ~ ')' -%}
    case
        when {{ dbt.length(compact) }} between 5 and 7
            then {{ dbt.concat([
                'substr(' ~ compact ~ ', 1, ' ~ dbt.length(compact) ~ ' - 3)',
                "' '",
                dbt.right(compact, 3),
            ]) }}
        else nullif({{ compact }}, '')
    end
{%- endmacro %}

{#-
    The layouts of UK postcodes (outward code A9, A99, AA9, AA99, A9A, AA9A; inward code
    9AA; the inward letters never C I K M O V), plus GIR 0AA.
-#}
{% macro postcode_is_valid(standardised) -%}
    ({{ regexp_like(standardised, '^[A-PR-UWYZ]([0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPS-UW]|[A-HK-Y][0-9][ABEHMNPRV-Y]) [0-9][ABD-HJLNP-UW-Z]{2}$') }}
        or {{ standardised }} = 'GIR 0AA')
{%- endmacro %}

{#- The outward code and sector of a valid standardised postcode. -#}
{% macro postcode_district(standardised) -%}
    {{ dbt.split_part(standardised, "' '", 1) }}
{%- endmacro %}

{#-
    UK phone numbers in E.164 form: '+44' and the national number without its leading 0.
    Accepts '07700 900123', '(020) 7946 0018', '+44 (0)7700-900123', '0044 7700 900123',
    '447700900123', '7700900123'. The result is a candidate: phone_is_valid() checks it.
-#}
{% macro standardise_phone(expr) -%}
    {%- set digits = regexp_replace_all(regexp_replace_all(expr, '[(]0[)]', ''), '[^0-9+]', '') -%}
    case
        when {{ digits }} like '+44%' then {{ dbt.concat(["'+44'", 'substr(' ~ digits ~ ', 4)']) }}
        when {{ digits }} like '0044%' then {{ dbt.concat(["'+44'", 'substr(' ~ digits ~ ', 5)']) }}
        when {{ digits }} like '44%' and {{ dbt.length(digits) }} = 12 then {{ dbt.concat(["'+'", digits]) }}
        when {{ digits }} like '0%' then {{ dbt.concat(["'+44'", 'substr(' ~ digits ~ ', 2)']) }}
        when {{ digits }} like '7%' and {{ dbt.length(digits) }} = 10 then {{ dbt.concat(["'+44'", digits]) }}
        else nullif({{ digits }}, '')
    end
{%- endmacro %}

{#- +44 then a national number of 9 or 10 digits not starting with 0. -#}
{% macro phone_is_valid(standardised) -%}
    {{ regexp_like(standardised, '^[+]44[1-9][0-9]{8,9}$') }}
{%- endmacro %}
