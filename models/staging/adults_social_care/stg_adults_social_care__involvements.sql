{#- Staged adults_social_care/involvements:
    one row per adult social care service involvement. -#}
with

base as (
    select *
    from {{ ref('base_adults_social_care__involvements') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('adults_social_care', 'involvements', 'record_id') }} as record_key,
    person_source_id,
    forename,
    surname,
    date_of_birth,
    sex,
    postcode,
    address_line,
    {{ null_string() }} as uprn,
    nhs_number,
    {{ null_string() }} as ni_number,
    {{ null_string() }} as upn,
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    nhs_number_valid,
    nhs_number_invalid_reason,
    title,
    gender_recorded,
    ethnicity_ons18_code,
    has_disability,
    service_type,
    start_date,
    end_date
from base
