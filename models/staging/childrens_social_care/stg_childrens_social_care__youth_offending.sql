{#- Staged childrens_social_care/youth_offending:
    one row per youth justice outcome. -#}
with

base as (
    select *
    from {{ ref('base_childrens_social_care__youth_offending') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('childrens_social_care', 'youth_offending', 'record_id') }} as record_key,
    person_source_id,
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
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    ethnicity_dfe_code,
    ethnicity_ons18_code,
    offence_date,
    outcome
from base
