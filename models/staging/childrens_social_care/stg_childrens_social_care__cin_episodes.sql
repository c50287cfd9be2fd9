{#- Staged childrens_social_care/cin_episodes:
    one row per child in need episode. -#}
with

base as (
    select *
    from {{ ref('base_childrens_social_care__cin_episodes') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('childrens_social_care', 'cin_episodes', 'record_id') }} as record_key,
    person_source_id,
    forename,
    surname,
    date_of_birth,
    {{ null_string() }} as sex,
    {{ null_string() }} as postcode,
    {{ null_string() }} as address_line,
    {{ null_string() }} as uprn,
    nhs_number,
    {{ null_string() }} as ni_number,
    {{ null_string() }} as upn,
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    nhs_number_valid,
    nhs_number_invalid_reason,
    cin_start,
    cin_end,
    primary_need
from base
