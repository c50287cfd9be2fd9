{#- Staged homelessness/approaches:
    one row per homelessness approach (case). -#}
with

base as (
    select *
    from {{ ref('base_homelessness__approaches') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('homelessness', 'approaches', 'record_id') }} as record_key,
    {{ null_string() }} as person_source_id,
    forename,
    surname,
    date_of_birth,
    sex,
    postcode,
    {{ null_string() }} as address_line,
    {{ null_string() }} as uprn,
    {{ null_string() }} as nhs_number,
    {{ null_string() }} as ni_number,
    {{ null_string() }} as upn,
    phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    phone_valid,
    phone_invalid_reason,
    ethnicity_ons18_code,
    approach_date,
    reason,
    duty,
    duty_start,
    duty_end,
    outcome,
    closed_date
from base
