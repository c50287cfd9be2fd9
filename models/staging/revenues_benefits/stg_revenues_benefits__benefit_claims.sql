{#- Staged revenues_benefits/benefit_claims:
    one row per housing benefit / council tax support claim. -#}
with

base as (
    select *
    from {{ ref('base_revenues_benefits__benefit_claims') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('revenues_benefits', 'benefit_claims', 'record_id') }} as record_key,
    {{ null_string() }} as person_source_id,
    forename,
    surname,
    date_of_birth,
    {{ null_string() }} as sex,
    postcode,
    address_line,
    {{ null_string() }} as uprn,
    {{ null_string() }} as nhs_number,
    ni_number,
    {{ null_string() }} as upn,
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    ni_number_valid,
    ni_number_invalid_reason,
    claim_type,
    start_date,
    end_date,
    weekly_award,
    last_change_date,
    last_change_type
from base
