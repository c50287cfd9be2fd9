{#- Staged revenues_benefits/council_tax_accounts:
    one row per council tax account (its lead liable party). -#}
with

base as (
    select *
    from {{ ref('base_revenues_benefits__council_tax_accounts') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('revenues_benefits', 'council_tax_accounts', 'record_id') }} as record_key,
    {{ null_string() }} as person_source_id,
    forename,
    surname,
    date_of_birth,
    {{ null_string() }} as sex,
    postcode,
    address_line,
    uprn,
    {{ null_string() }} as nhs_number,
    ni_number,
    {{ null_string() }} as upn,
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    uprn_valid,
    uprn_invalid_reason,
    ni_number_valid,
    ni_number_invalid_reason,
    title,
    locality,
    council_tax_band,
    single_person_discount,
    single_person_discount_start,
    occupier_type,
    account_start_date,
    account_end_date
from base
