{#- Staged homelessness/register_applications:
    one row per housing register application. -#}
with

base as (
    select *
    from {{ ref('base_homelessness__register_applications') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('homelessness', 'register_applications', 'record_id') }} as record_key,
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
    priority_band,
    household_members,
    application_date,
    status_date,
    status,
    closed_date
from base
