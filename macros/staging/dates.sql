{#-
    Dates as each source system writes them. parse_date(expr, layout) returns a DATE, or NULL
    when the text is not a real date in that layout (the staging macro then rejects the row
    with 'unparseable date: <column>'). Layouts:

      dmy          dd/mm/yyyy            Academy revenues, homelessness, Money Hub
      iso          yyyy-mm-dd            benefits claims, Liquidlogic, school census
      iso_time     yyyy-mm-dd 00:00:00   Orchard housing
      dd_mon_yyyy  02-Apr-1950           Mosaic adults social care
      mon_yyyy     Mar-2024              Orchard rent arrears (first day of the month)
      yyyy_mm      2024-03               Academy arrears periods (first day of the month)
      school_term  2024 Autumn           school census terms (first day of the term)
-#}

{% macro date_layouts() -%}
    {{ return({
        'dmy': '%d/%m/%Y',
        'iso': '%Y-%m-%d',
        'iso_time': '%Y-%m-%d %H:%M:%S',
        'dd_mon_yyyy': '%d-%b-%Y',
        'mon_yyyy': '%d-%b-%Y',
        'yyyy_mm': '%Y-%m-%d',
    }) }}
{%- endmacro %}

{% macro parse_date(expr, layout) -%}
    {%- if layout == 'school_term' -%}
        {{ school_term_start(expr) }}
    {%- elif layout not in date_layouts() -%}
        {{ exceptions.raise_compiler_error("parse_date: unknown date layout '" ~ layout ~ "'; use one of " ~ (date_layouts().keys() | list | join(', ')) ~ ", school_term") }}
    {%- else -%}
        {{ return(adapter.dispatch('parse_date', 'insight_hub')(expr, layout)) }}
    {%- endif -%}
{%- endmacro %}

{#-
    The shape each layout must have before it is parsed (four-digit years: 'Feb-24' is not
    read as the year 24).
-#}
{% macro date_layout_patterns() -%}
    {{ return({
        'dmy': '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$',
        'iso': '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$',
        'iso_time': '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} [0-9]{2}:[0-9]{2}:[0-9]{2}$',
        'dd_mon_yyyy': '^[0-9]{1,2}-[A-Za-z]{3}-[0-9]{4}$',
        'mon_yyyy': '^[A-Za-z]{3}-[0-9]{4}$',
        'yyyy_mm': '^[0-9]{4}-[0-9]{1,2}$',
    }) }}
{%- endmacro %}

{#- DuckDB: strptime with the layout's format (strict: 31/02/2024 gives NULL). -#}
{% macro duckdb__parse_date(expr, layout) -%}
    {%- set trimmed = 'trim(' ~ expr ~ ')' -%}
    {%- set text = trimmed -%}
    {%- if layout == 'mon_yyyy' -%}
        {%- set text = "'01-' || " ~ trimmed -%}
    {%- elif layout == 'yyyy_mm' -%}
        {%- set text = trimmed ~ " || '-01'" -%}
    {%- endif -%}
    case
        when {{ regexp_like(trimmed, date_layout_patterns()[layout]) }}
            then {{ try_parse_date(text, date_layouts()[layout]) }}
    end
{%- endmacro %}

{#-
    Portable form: pick the parts out with a regular expression, rebuild an ISO string and
    let the try_cast macro reject impossible dates. Runs on DuckDB, Spark and Trino.
-#}
{% macro default__parse_date(expr, layout) -%}
    {%- set months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] -%}
    {%- set x = 'upper(trim(' ~ expr ~ '))' -%}
    {%- if layout == 'dmy' -%}
        {%- set pattern = '^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$' -%}
        {%- set y, m, d = regexp_group(x, pattern, 3), regexp_group(x, pattern, 2), regexp_group(x, pattern, 1) -%}
    {%- elif layout in ('iso', 'iso_time') -%}
        {%- set pattern = '^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' ~ (' 00:00:00$' if layout == 'iso_time' else '$') -%}
        {%- set y, m, d = regexp_group(x, pattern, 1), regexp_group(x, pattern, 2), regexp_group(x, pattern, 3) -%}
    {%- elif layout == 'yyyy_mm' -%}
        {%- set pattern = '^([0-9]{4})-([0-9]{1,2})$' -%}
        {%- set y, m, d = regexp_group(x, pattern, 1), regexp_group(x, pattern, 2), "'01'" -%}
    {%- else -%}
        {#- dd_mon_yyyy / mon_yyyy: month abbreviations -#}
        {%- if layout == 'dd_mon_yyyy' -%}
            {%- set pattern = '^([0-9]{1,2})-([A-Z]{3})-([0-9]{4})$' -%}
            {%- set d, mon, y = regexp_group(x, pattern, 1), regexp_group(x, pattern, 2), regexp_group(x, pattern, 3) -%}
        {%- else -%}
            {%- set pattern = '^([A-Z]{3})-([0-9]{4})$' -%}
            {%- set d, mon, y = "'01'", regexp_group(x, pattern, 1), regexp_group(x, pattern, 2) -%}
        {%- endif -%}
        {%- set m -%}
            case {{ mon }}
                {%- for name in months %} when '{{ name }}' then '{{ '%02d' % loop.index }}'{% endfor %}
            end
        {%- endset -%}
    {%- endif -%}
    {{ try_cast(
        dbt.concat([y, "'-'", "lpad(" ~ m ~ ", 2, '0')", "'-'", "lpad(" ~ d ~ ", 2, '0')"]),
        api.Column.translate_type('date')
    ) }}
{%- endmacro %}

{#-
    School terms ('2024 Autumn', '2025 Spring', '2025 Summer'): the English school year runs
    September to August. Autumn = 1 Sep to 31 Dec, Spring = 1 Jan to 31 Mar,
    Summer = 1 Apr to 31 Aug of the named calendar year.
-#}
{% macro school_term_parts(expr) -%}
    {#- one pattern test, then the parts by position (cheaper than a capture per use) -#}
    {%- set x = 'upper(trim(' ~ expr ~ '))' -%}
    {%- set valid = regexp_like(x, '^[0-9]{4} (AUTUMN|SPRING|SUMMER)$') -%}
    {{ return({
        'year': 'case when ' ~ valid ~ ' then ' ~ dbt.split_part(x, "' '", 1) ~ ' end',
        'term': 'case when ' ~ valid ~ ' then ' ~ dbt.split_part(x, "' '", 2) ~ ' end',
    }) }}
{%- endmacro %}

{% macro school_term_start(expr) -%}
    {%- set p = school_term_parts(expr) -%}
    {{ try_cast(
        dbt.concat([
            p.year,
            "case " ~ p.term ~ " when 'AUTUMN' then '-09-01' when 'SPRING' then '-01-01' when 'SUMMER' then '-04-01' end",
        ]),
        api.Column.translate_type('date')
    ) }}
{%- endmacro %}

{% macro school_term_end(expr) -%}
    {%- set p = school_term_parts(expr) -%}
    {{ try_cast(
        dbt.concat([
            p.year,
            "case " ~ p.term ~ " when 'AUTUMN' then '-12-31' when 'SPRING' then '-03-31' when 'SUMMER' then '-08-31' end",
        ]),
        api.Column.translate_type('date')
    ) }}
{%- endmacro %}

{#- '2024 Autumn' -> '2024 Autumn' (canonical case and spacing), NULL when not a term. -#}
{% macro school_term_label(expr) -%}
    {%- set p = school_term_parts(expr) -%}
    case
        when {{ p.term }} in ('AUTUMN', 'SPRING', 'SUMMER')
            then {{ dbt.concat([p.year, "' '", "upper(substr(" ~ p.term ~ ", 1, 1))", "lower(substr(" ~ p.term ~ ", 2))"]) }}
    end
{%- endmacro %}

{#- The academic year a term belongs to: '2024 Autumn' and '2025 Summer' -> '2024/25'. -#}
{% macro academic_year(expr) -%}
    {%- set p = school_term_parts(expr) -%}
    {%- set first_year -%}
        case when {{ p.term }} = 'AUTUMN' then {{ try_cast(p.year, 'integer') }} else {{ try_cast(p.year, 'integer') }} - 1 end
    {%- endset -%}
    case
        when {{ p.term }} in ('AUTUMN', 'SPRING', 'SUMMER')
            then {{ dbt.concat([
                try_cast(first_year, dbt.type_string()),
                "'/'",
                "right(" ~ try_cast(first_year ~ " + 1", dbt.type_string()) ~ ", 2)",
            ]) }}
    end
{%- endmacro %}

{#- The school term a date falls in, as a census term label: 2024-10-15 -> '2024 Autumn'. -#}
{% macro school_term_of_date(date_expr) -%}
    {%- set month = 'extract(month from ' ~ date_expr ~ ')' -%}
    case
        when {{ date_expr }} is not null then {{ dbt.concat([
            try_cast('extract(year from ' ~ date_expr ~ ')', dbt.type_string()),
            "case when " ~ month ~ " >= 9 then ' Autumn' when " ~ month ~ " <= 3 then ' Spring' else ' Summer' end",
        ]) }}
    end
{%- endmacro %}
