{#-
    National identifiers: cleaned, then validated by their published check rules. Each
    *_invalid_reason macro returns NULL for a valid (or absent) value, else why it is
    invalid; staging keeps the value only when valid (`<id>_valid`, `<id>_invalid_reason`).
-#}

{#- NHS number: digits only ('943 476 5919' -> '9434765919'). -#}
{% macro clean_nhs_number(expr) -%}
    nullif({{ regexp_replace_all(expr, '[^0-9A-Za-z]', '') }}, '')
{%- endmacro %}

{#-
    NHS number modulus 11: weights 10..2 on the first nine digits; check digit =
    11 - (sum mod 11), 11 -> 0, 10 -> no valid number. Ten identical digits are dummies.
-#}
{% macro nhs_number_invalid_reason(cleaned) -%}
    {%- set terms = [] -%}
    {%- for i in range(1, 10) -%}
        {%- do terms.append(try_cast('substr(' ~ cleaned ~ ', ' ~ i ~ ', 1)', 'integer') ~ ' * ' ~ (11 - i)) -%}
    {%- endfor -%}
    case
        when {{ cleaned }} is null then null
        when not {{ regexp_like(cleaned, '^[0-9]{10}$') }} then 'not 10 digits'
        when {{ regexp_like(cleaned, '^(0{10}|1{10}|2{10}|3{10}|4{10}|5{10}|6{10}|7{10}|8{10}|9{10})$') }} then 'dummy number'
        when mod(11 - mod({{ terms | join(' + ') }}, 11), 11)
            <> {{ try_cast('substr(' ~ cleaned ~ ', 10, 1)', 'integer') }} then 'check digit mismatch'
    end
{%- endmacro %}

{#- UPN: 13 characters, upper case, spaces dropped. -#}
{% macro clean_upn(expr) -%}
    nullif(upper({{ regexp_replace_all(expr, '[^0-9A-Za-z]', '') }}), '')
{%- endmacro %}

{#-
    DfE Unique Pupil Number: check letter + LA code (3) + establishment (4) + year (2) +
    serial (3); a temporary UPN ends in a letter. The check letter is
    'ABCDEFGHJKLMNPQRTUVWXYZ'[sum(weight i * value of character i, i = 2..13) mod 23],
    where digits count their value and a letter in position 13 its index in that string.
-#}
{% macro upn_check_letters() -%}{{ return('ABCDEFGHJKLMNPQRTUVWXYZ') }}{%- endmacro %}

{% macro upn_invalid_reason(cleaned) -%}
    {%- set letters = upn_check_letters() -%}
    {%- set terms = [] -%}
    {%- for i in range(2, 13) -%}
        {%- do terms.append(try_cast('substr(' ~ cleaned ~ ', ' ~ i ~ ', 1)', 'integer') ~ ' * ' ~ i) -%}
    {%- endfor -%}
    {%- set last -%}
        case
            when substr({{ cleaned }}, 13, 1) between '0' and '9' then {{ try_cast('substr(' ~ cleaned ~ ', 13, 1)', 'integer') }}
            else {{ dbt.position('substr(' ~ cleaned ~ ', 13, 1)', "'" ~ letters ~ "'") }} - 1
        end * 13
    {%- endset -%}
    {%- do terms.append(last) -%}
    case
        when {{ cleaned }} is null then null
        when not {{ regexp_like(cleaned, '^[A-Z][0-9]{11}[0-9' ~ letters ~ ']$') }} then 'not a UPN layout'
        when substr('{{ letters }}', mod({{ terms | join(' + ') }}, 23) + 1, 1)
            <> substr({{ cleaned }}, 1, 1) then 'check letter mismatch'
    end
{%- endmacro %}

{#- NI number: upper case, spaces dropped ('ab 12 34 56 c' -> 'AB123456C'). -#}
{% macro clean_ni_number(expr) -%}
    nullif(upper({{ regexp_replace_all(expr, '[^0-9A-Za-z]', '') }}), '')
{%- endmacro %}

{#-
    HMRC National Insurance number: two prefix letters (first not D F I Q U V, second not
    D F I O Q U V; BG GB KN NK NT TN ZZ never allocated), six digits, suffix A-D.
-#}
{% macro ni_number_invalid_reason(cleaned) -%}
    case
        when {{ cleaned }} is null then null
        when not {{ regexp_like(cleaned, '^[A-Z]{2}[0-9]{6}[A-Z]$') }} then 'not an NI number layout'
        when not {{ regexp_like(cleaned, '^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$') }}
            or substr({{ cleaned }}, 1, 2) in ('BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ') then 'prefix or suffix not allocated by HMRC'
    end
{%- endmacro %}

{#- UPRN: up to 12 digits, leading zeros dropped. -#}
{% macro clean_uprn(expr) -%}
    nullif({{ regexp_replace_all(regexp_replace_all(expr, '[ ]', ''), '^0+', '') }}, '')
{%- endmacro %}

{% macro uprn_invalid_reason(cleaned) -%}
    case
        when {{ cleaned }} is null then null
        when not {{ regexp_like(cleaned, '^[0-9]{1,12}$') }} then 'not a UPRN (1 to 12 digits)'
    end
{%- endmacro %}
