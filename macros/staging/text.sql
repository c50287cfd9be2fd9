{#- Text cleaning shared by every staging model. -#}

{#- Trimmed text; empty or blank -> NULL. -#}
{% macro clean_text(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#-
    A system identifier (record or person id) exactly as the system holds it, trimmed;
    blank -> NULL. Never re-cased: record keys hash it, and every model that refers to the
    record must hash the same text.
-#}
{% macro clean_id(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#- Titles and honorifics dropped from the front of a (standardised) name. -#}
{% macro name_titles() -%}
    {{ return(['MR', 'MRS', 'MS', 'MISS', 'MX', 'DR', 'PROF', 'REV', 'SIR', 'DAME', 'LADY', 'LORD', 'MASTER']) }}
{%- endmacro %}

{#-
    A standardised name part: upper case, accents folded, apostrophes and full stops
    dropped (O'Brien -> OBRIEN), other punctuation and digits -> space, hyphens kept
    (SMITH-JONES) without spaces round them, titles (Mr, Mrs, Dr ...) dropped from the
    front, single spaces, blank -> NULL.
-#}
{% macro standardise_name(expr) -%}
    {%- set s = 'upper(' ~ strip_accents('trim(' ~ expr ~ ')') ~ ')' -%}
    {%- set s = regexp_replace_all(s, "[''’`.]", '') -%}
    {%- set s = regexp_replace_all(s, '[^A-Z -]', ' ') -%}
    {%- set s = regexp_replace_all(s, ' *- *', '-') -%}
    {%- set s = regexp_replace_all(s, '^-+|-+$', '') -%}
    {%- set s = regexp_replace_all(s, ' {2,}', ' ') -%}
    {%- set s = regexp_replace_all('trim(' ~ s ~ ')', '^((' ~ (name_titles() | join('|')) ~ ') )+', '') -%}
    {#- fast path: a single plain word needs only upper case -#}
    case
        when {{ regexp_like('trim(' ~ expr ~ ')', '^[A-Za-z]+$') }} then upper(trim({{ expr }}))
        else nullif(trim({{ s }}), '')
    end
{%- endmacro %}

{#-
    One part ('forename' or 'surname') of a full name held in one field, standardised.
    layout:
      surname_first     'SURNAME, Forenames' (no comma: read as forenames_surname)
      forenames_surname 'Forenames Surname'  (surname = the last word)
      forenames_SURNAME 'Forenames SURNAME'  (surname = the trailing upper-case words,
                                              else the last word)
    A title at the front ('Mr John Smith') is dropped. forename holds every forename
    ('JOHN PAUL'); NULL when the field holds only one word.
-#}
{% macro split_full_name(expr, layout, part) -%}
    {%- if part not in ('forename', 'surname') -%}
        {{ exceptions.raise_compiler_error("split_full_name: part must be 'forename' or 'surname', not '" ~ part ~ "'") }}
    {%- endif -%}
    {%- set titles = name_titles() | join('|') -%}
    {#- collapse spaces, drop a leading title (any case, optional full stop) -#}
    {%- set raw = regexp_replace_all(strip_accents('trim(' ~ expr ~ ')'), '[[:space:]]+', ' ') -%}
    {%- set raw = regexp_replace_all(raw, '^(?i)((' ~ titles ~ ')[.]? )+', '') -%}
    {%- set has_comma = dbt.position("','", raw) ~ ' > 0' -%}
    {%- set last_word = regexp_group(raw, '([^ ]+)$', 1) -%}
    {%- set before_last_word = regexp_group(raw, '^(.*) [^ ]+$', 1) -%}
    {%- set upper_tail = regexp_group(raw, "^(.*?) ([A-Z][A-Z''-]*( [A-Z][A-Z''-]*)*)$", 2) -%}
    {%- set before_upper_tail = regexp_group(raw, "^(.*?) ([A-Z][A-Z''-]*( [A-Z][A-Z''-]*)*)$", 1) -%}
    {%- set comma_surname = regexp_group(raw, '^([^,]*),', 1) -%}
    {%- set comma_forenames = regexp_group(raw, '^[^,]*,(.*)$', 1) -%}
    {%- if layout == 'surname_first' -%}
        {%- if part == 'surname' -%}
            {%- set value = 'case when ' ~ has_comma ~ ' then ' ~ comma_surname ~ ' else ' ~ last_word ~ ' end' -%}
        {%- else -%}
            {%- set value = 'case when ' ~ has_comma ~ ' then ' ~ comma_forenames ~ ' else ' ~ before_last_word ~ ' end' -%}
        {%- endif -%}
    {%- elif layout == 'forenames_surname' -%}
        {%- set value = last_word if part == 'surname' else before_last_word -%}
    {%- elif layout == 'forenames_SURNAME' -%}
        {%- if part == 'surname' -%}
            {%- set value = 'coalesce(nullif(' ~ upper_tail ~ ", ''), " ~ last_word ~ ')' -%}
        {%- else -%}
            {%- set value = 'case when ' ~ upper_tail ~ " <> '' then " ~ before_upper_tail ~ ' else ' ~ before_last_word ~ ' end' -%}
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("split_full_name: unknown layout '" ~ layout ~ "'") }}
    {%- endif -%}
    {{ standardise_name(value) }}
{%- endmacro %}

{#- Street-type abbreviations expanded in address lines (whole words). -#}
{% macro address_abbreviations() -%}
    {{ return({
        'RD': 'ROAD', 'AVE': 'AVENUE', 'AV': 'AVENUE', 'LN': 'LANE', 'GDNS': 'GARDENS',
        'CL': 'CLOSE', 'CRES': 'CRESCENT', 'DR': 'DRIVE', 'CT': 'COURT', 'PL': 'PLACE',
        'TERR': 'TERRACE', 'TER': 'TERRACE', 'SQ': 'SQUARE', 'GRN': 'GREEN', 'GR': 'GROVE',
        'GRV': 'GROVE', 'PK': 'PARK', 'HSE': 'HOUSE', 'STR': 'STREET', 'APT': 'FLAT',
    }) }}
{%- endmacro %}

{#-
    The standardised first address line: upper case, accents folded, punctuation -> space,
    street types spelt out (RD -> ROAD; ST -> STREET only as the last word, since ST at the
    front is SAINT), single spaces; flat and house numbers kept ('FLAT 3 12 ACACIA AVENUE').
    one_line=true: the field holds the whole address ('Flat 3, 12 Acacia Avenue, London');
    the line is every comma part up to the first part that starts with a house number,
    else the first part.
-#}
{% macro standardise_address_line(expr, one_line=false) -%}
    {%- set s = 'trim(' ~ expr ~ ')' -%}
    {%- if one_line -%}
        {%- set s = 'coalesce(nullif(' ~ regexp_group(s, '^(([^,]*,)*? *[0-9][^,]*)', 1) ~ ", ''), " ~ dbt.split_part(s, "','", 1) ~ ')' -%}
    {%- endif -%}
    {%- set s = 'upper(' ~ strip_accents(s) ~ ')' -%}
    {%- set s = regexp_replace_all(s, "[''’`]", '') -%}
    {%- set s = regexp_replace_all(s, '[^A-Z0-9/ -]', ' ') -%}
    {%- set s = regexp_replace_all(s, ' *- *', '-') -%}
    {%- set s = regexp_replace_all('trim(' ~ s ~ ')', ' {2,}', ' ') -%}
    {%- set ns = namespace(s=s) -%}
    {%- for short, long in address_abbreviations().items() -%}
        {%- set ns.s = regexp_replace_all(ns.s, '(^| )' ~ short ~ '( |$)', '\\1' ~ long ~ '\\2') -%}
    {%- endfor -%}
    {%- set any_abbreviation = '(^| )(' ~ (address_abbreviations().keys() | join('|')) ~ ')( |$)| ST$' -%}
    {#- the abbreviations are spelt out only where one occurs (most lines have none) -#}
    nullif(
        case
            when {{ regexp_like(s, any_abbreviation) }}
                then {{ regexp_replace_all(ns.s, ' ST$', ' STREET') }}
            else {{ s }}
        end,
        ''
    )
{%- endmacro %}

{#- Email: trimmed, lower case. -#}
{% macro clean_email(expr) -%}
    nullif(lower(trim({{ expr }})), '')
{%- endmacro %}

{% macro email_is_valid(cleaned) -%}
    {{ regexp_like(cleaned, "^[a-z0-9._%+''-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}$") }}
{%- endmacro %}

{#- A typed NULL text value (a column a system does not hold). -#}
{% macro null_string() -%}
    cast(null as {{ dbt.type_string() }})
{%- endmacro %}
