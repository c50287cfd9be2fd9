{#-
    stage_extract: every raw row of one extract, typed and judged.

    A base model (models/staging/<service>/base/base_<service>__<entity>.sql) is one call:

        {{ stage_extract('housing', 'tenancies', key='TenancyRef', columns=[
            {'name': 'tenancy_ref', 'raw': 'TenancyRef', 'type': 'id'},
            {'name': 'date_of_birth', 'raw': 'TenantDOB', 'type': 'date', 'layout': 'iso_time', 'not_future': true},
            {'name': 'end_date', 'raw': 'EndDate', 'type': 'date', 'layout': 'iso_time', 'close_date': true},
            ...
        ]) }}

    It returns one row per raw row (nothing is dropped here) with
      raw_row_number     the row's position in the file (1 = first row after the header)
      record_id          the key column(s) as held, trimmed (several joined with '|')
      <typed columns>    as the column specs say
      rejection_reason   NULL, or the first rule the row breaks (below)
      staging_status     'staged' | 'rejected' | 'expired' (retention)
    The stg_ model keeps the 'staged' rows; audit.rec_rejected_rows lists the rejected ones
    and audit.rec_extract_counts reconciles raw = staged + rejected + expired.

    Column spec keys: name (output column), raw (source column), type, and
      required: true        'missing value: <raw>' when blank
      close_date: true      retention is measured from this (DATE) column
      not_future: true      a date after var('as_of_date') is 'implausible date: <raw>'
      min: n                a number below n is 'out of range: <raw>'
    Types:
      text | id | upper | name          cleaned text (id: upper case; name: standardise_name)
      full_name (layout, part)          split_full_name(raw, layout, part)
      address (one_line)                standardise_address_line
      date (layout)                     parse_date; 'unparseable date: <raw>' / 'implausible date: <raw>'
      integer | decimal                 '£1,234.50' -> 1234.50; 'unparseable number: <raw>'
      code (values: list or dict)       canonical value, matched ignoring case and spaces;
                                        'unknown code: <raw>'
      boolean (values: dict, optional)  Y/N, true/false; 'unknown code: <raw>'
      lookup (seed, match, return)      the seed's `return` column where `match` equals the
                                        value (ignoring case); 'unknown code: <raw>'
      postcode | phone | email          standardised; invalid -> NULL, <name>_valid,
      nhs_number | ni_number | upn      <name>_invalid_reason (never a rejection: the rest
      uprn                              of the record still stands)
      expr (expr)                       any SQL expression over the raw columns
    Rejection rules run in this order: the key, then the columns in spec order, then
    duplicates (a later row with the same record_id as an earlier valid row:
    'duplicate key: <key>'). Retention applies to rows that pass.
-#}

{% macro stage_extract(service, source_file, key, columns, retention=true) -%}
    {%- set keys = [key] if key is string else key -%}
    {%- set as_of = "cast('" ~ var('as_of_date') ~ "' as date)" -%}
    {%- set validated_types = ['postcode', 'phone', 'email', 'nhs_number', 'ni_number', 'upn', 'uprn'] -%}
    {%- set close_cols = columns | selectattr('close_date', 'defined') | selectattr('close_date') | list -%}
    {%- if close_cols | length > 1 -%}
        {{ exceptions.raise_compiler_error("stage_extract(" ~ service ~ "/" ~ source_file ~ "): more than one close_date column") }}
    {%- endif -%}

    {#- the typed CTE's select items, and the checks that reject a row: (condition, reason) -#}
    {%- set items = ['raw_row_number'] -%}
    {%- set checks = [] -%}
    {%- for k in keys -%}
        {%- do items.append(clean_id(adapter.quote(k)) ~ ' as _key_part_' ~ loop.index) -%}
        {%- do checks.append(('_key_part_' ~ loop.index ~ ' is null', 'missing key: ' ~ k)) -%}
    {%- endfor -%}
    {%- do items.append(staging_key_expr(keys) ~ ' as record_id') -%}
    {%- for col in columns -%}
        {%- set raw = ('source.' ~ adapter.quote(col.raw)) if col.raw is defined else none -%}
        {%- set type = col.type | default('text') -%}
        {%- set required = col.required is defined and col.required and raw is not none -%}
        {%- if required -%}
            {%- do checks.append(('not ' ~ col.name ~ '__present', 'missing value: ' ~ col.raw)) -%}
        {%- endif -%}
        {%- if type in validated_types -%}
            {%- do items.append(staging_validated_candidate(type, raw) ~ ' as ' ~ col.name ~ '__candidate') -%}
        {%- else -%}
            {%- do items.append(staging_typed_expr(col, raw) ~ ' as ' ~ col.name) -%}
        {%- endif -%}
        {%- set checked = type in ('date', 'integer', 'decimal', 'code', 'boolean') or (type == 'lookup' and col.get('check', true)) -%}
        {%- if required or checked -%}
            {#- present: a value is there (values listed in null_values count as absent) -#}
            {%- set present = clean_text(raw) ~ ' is not null' -%}
            {%- if col.get('null_values') -%}
                {%- set present = present ~ ' and upper(trim(' ~ raw ~ ')) not in (' ~ staging_literal_list(col.null_values | map('upper')) ~ ')' -%}
            {%- endif -%}
            {%- do items.append('(' ~ present ~ ') as ' ~ col.name ~ '__present') -%}
        {%- endif -%}
        {%- if type == 'date' -%}
            {%- do checks.append((col.name ~ '__present and ' ~ col.name ~ ' is null', 'unparseable date: ' ~ col.raw)) -%}
            {%- set implausible = col.name ~ " < cast('1900-01-01' as date)" ~ ((' or ' ~ col.name ~ ' > ' ~ as_of) if col.not_future is defined and col.not_future else '') -%}
            {%- do checks.append(('(' ~ implausible ~ ')', 'implausible date: ' ~ col.raw)) -%}
        {%- elif type in ('integer', 'decimal') -%}
            {%- do checks.append((col.name ~ '__present and ' ~ col.name ~ ' is null', 'unparseable number: ' ~ col.raw)) -%}
            {%- if col.min is defined -%}
                {%- do checks.append((col.name ~ ' < ' ~ col.min, 'out of range: ' ~ col.raw)) -%}
            {%- endif -%}
        {%- elif checked -%}
            {%- do checks.append((col.name ~ '__present and ' ~ col.name ~ ' is null', 'unknown code: ' ~ col.raw)) -%}
        {%- endif -%}
    {%- endfor %}

with

source as (
    {{ extract_rows(source(service, source_file)) }}
),

typed as (
    select
        {{ items | join(',\n        ') }}
    from source
),

validated as {{ cte_materialized() }} (
    select
        *,
        {%- for col in columns if (col.type | default('text')) in validated_types %}
        {{ staging_invalid_reason(col.type, col.name ~ '__candidate') }} as {{ col.name }}_invalid_reason,
        {%- endfor %}
        case
            {%- for condition, reason in checks %}
            when {{ condition }} then '{{ reason | replace("'", "''") }}'
            {%- endfor %}
        end as _check_reason
    from typed
),

repeated_keys as (
    {#-
        record_ids held by more than one row, with the first of their rows no rule rejects
        (a grouping, and a join to the few repeated ids only: cheaper than a window)
    -#}
    select
        record_id,
        min(case when _check_reason is null then raw_row_number end) as first_valid_row
    from validated
    where record_id is not null
    group by record_id
    having count(*) > 1
),

{%- if retention and close_cols | length == 1 %}

retention as (
    select
        {{ dbt.dateadd('year', '-1 * coalesce(max(retention_years), ' ~ var('retention_default_years', 3) ~ ')', as_of) }} as retention_cutoff
    from {{ ref('retention_schedule') }}
    where service = '{{ service }}' and source_file = '{{ source_file }}'
),
{%- endif %}

judged as (
    select
        validated.*,
        coalesce(
            validated._check_reason,
            case
                when validated.raw_row_number > repeated_keys.first_valid_row
                    then 'duplicate key: {{ keys | join(", ") }}'
            end
        ) as rejection_reason
    from validated
    left join repeated_keys on validated.record_id = repeated_keys.record_id
)

select
    raw_row_number,
    record_id,
    {%- for col in columns %}
    {%- if (col.type | default('text')) in validated_types %}
    case when {{ col.name }}_invalid_reason is null then {{ col.name }}__candidate end as {{ col.name }},
    case when {{ col.name }}__candidate is not null then {{ col.name }}_invalid_reason is null end as {{ col.name }}_valid,
    {{ col.name }}_invalid_reason,
    {%- else %}
    {{ col.name }},
    {%- endif %}
    {%- endfor %}
    rejection_reason,
    case
        when rejection_reason is not null then 'rejected'
        {%- if retention and close_cols | length == 1 %}
        when {{ close_cols[0].name }} < (select retention_cutoff from retention) then 'expired'
        {%- endif %}
        else 'staged'
    end as staging_status
from judged
{%- endmacro %}


{#-
    record_id: the key column(s) as the system holds them (trimmed), joined with '|' when
    there are several (a census return: 'A123456789012|2024 Autumn').
-#}
{% macro staging_key_expr(keys) -%}
    {%- set parts = [] -%}
    {%- for k in keys -%}
        {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
        {%- do parts.append(clean_id(adapter.quote(k))) -%}
    {%- endfor -%}
    {{ parts[0] if parts | length == 1 else dbt.concat(parts) }}
{%- endmacro %}


{#- A SQL string literal, and a comma-separated list of them. -#}
{% macro staging_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro staging_literal_list(values) -%}
    {%- set out = [] -%}
    {%- for value in values -%}{%- do out.append(staging_literal(value)) -%}{%- endfor -%}
    {{ out | join(', ') }}
{%- endmacro %}


{#- The typed value of a non-identifier column spec. -#}
{% macro staging_typed_expr(col, raw) -%}
    {%- set type = col.type | default('text') -%}
    {%- if type == 'text' -%}
        {{ clean_text(raw) }}
    {%- elif type == 'id' -%}
        {{ clean_id(raw) }}
    {%- elif type == 'upper' -%}
        upper({{ clean_text(raw) }})
    {%- elif type == 'name' -%}
        {{ standardise_name(raw) }}
    {%- elif type == 'full_name' -%}
        {{ split_full_name(raw, col.layout, col.part) }}
    {%- elif type == 'address' -%}
        {{ standardise_address_line(raw, one_line=col.one_line | default(false)) }}
    {%- elif type == 'date' -%}
        {{ parse_date(raw, col.layout) }}
    {%- elif type in ('integer', 'decimal') -%}
        {#- '£1,234.50' -> 1234.50; whole numbers only for integers (no rounding of 2.5) -#}
        {%- set sql_type = 'integer' if type == 'integer' else 'decimal(' ~ col.precision | default(12) ~ ', ' ~ col.scale | default(2) ~ ')' -%}
        {%- set pattern = '^-?[0-9]+$' if type == 'integer' else '^-?[0-9]+([.][0-9]+)?$' -%}
        {%- set number = regexp_replace_all(clean_text(raw), '[£, ]', '') -%}
        case when {{ regexp_like(number, pattern) }} then {{ try_cast(number, sql_type) }} end
    {%- elif type in ('code', 'boolean') -%}
        {%- set values = col.get('values') -%}
        {%- if type == 'boolean' and values is none -%}
            {%- set values = {'Y': 'true', 'YES': 'true', 'TRUE': 'true', 'N': 'false', 'NO': 'false', 'FALSE': 'false'} -%}
        {%- endif -%}
        case upper(trim({{ raw }}))
            {%- if values is mapping %}
            {%- for raw_value, value in values.items() %}
            when {{ staging_literal(raw_value | upper) }} then {{ value if type == 'boolean' else staging_literal(value) }}
            {%- endfor %}
            {%- else %}
            {%- for value in values %}
            when {{ staging_literal(value | upper) }} then {{ staging_literal(value) }}
            {%- endfor %}
            {%- endif %}
        end
    {%- elif type == 'lookup' -%}
        (
            select lkp.{{ col.get('return') }}
            from {{ ref(col.seed) }} as lkp
            where upper(lkp.{{ col.match }}) = upper(trim({{ raw }}))
        )
    {%- elif type == 'expr' -%}
        {{ col.expr }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("stage_extract: column '" ~ col.name ~ "' has unknown type '" ~ type ~ "'") }}
    {%- endif -%}
{%- endmacro %}


{#- The cleaned, not yet validated value of an identifier or contact column. -#}
{% macro staging_validated_candidate(type, raw) -%}
    {%- if type == 'postcode' -%}{{ standardise_postcode(raw) }}
    {%- elif type == 'phone' -%}{{ standardise_phone(raw) }}
    {%- elif type == 'email' -%}{{ clean_email(raw) }}
    {%- elif type == 'nhs_number' -%}{{ clean_nhs_number(raw) }}
    {%- elif type == 'ni_number' -%}{{ clean_ni_number(raw) }}
    {%- elif type == 'upn' -%}{{ clean_upn(raw) }}
    {%- elif type == 'uprn' -%}{{ clean_uprn(raw) }}
    {%- endif -%}
{%- endmacro %}


{#- Why a cleaned identifier or contact value is invalid (NULL when valid or absent). -#}
{% macro staging_invalid_reason(type, candidate) -%}
    {%- if type == 'postcode' -%}
        case when {{ candidate }} is not null and not {{ postcode_is_valid(candidate) }} then 'not a UK postcode' end
    {%- elif type == 'phone' -%}
        case when {{ candidate }} is not null and not {{ phone_is_valid(candidate) }} then 'not a UK phone number' end
    {%- elif type == 'email' -%}
        case when {{ candidate }} is not null and not {{ email_is_valid(candidate) }} then 'not an email address' end
    {%- elif type == 'nhs_number' -%}{{ nhs_number_invalid_reason(candidate) }}
    {%- elif type == 'ni_number' -%}{{ ni_number_invalid_reason(candidate) }}
    {%- elif type == 'upn' -%}{{ upn_invalid_reason(candidate) }}
    {%- elif type == 'uprn' -%}{{ uprn_invalid_reason(candidate) }}
    {%- endif -%}
{%- endmacro %}
