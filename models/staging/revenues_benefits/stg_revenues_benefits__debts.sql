{#- Staged revenues_benefits/debts:
    one row per sundry or overpayment debt. -#}
with

base as (
    select *
    from {{ ref('base_revenues_benefits__debts') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('revenues_benefits', 'debts', 'record_id') }} as record_key,
    {{ null_string() }} as person_source_id,
    forename,
    surname,
    date_of_birth,
    {{ null_string() }} as sex,
    postcode,
    {{ null_string() }} as address_line,
    {{ null_string() }} as uprn,
    {{ null_string() }} as nhs_number,
    {{ null_string() }} as ni_number,
    {{ null_string() }} as upn,
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    debt_type,
    raised_date,
    cleared_date,
    amount
from base
