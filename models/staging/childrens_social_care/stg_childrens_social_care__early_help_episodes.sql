{#- Staged childrens_social_care/early_help_episodes:
    one row per early help episode. -#}
with

base as (
    select *
    from {{ ref('base_childrens_social_care__early_help_episodes') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('childrens_social_care', 'early_help_episodes', 'record_id') }} as record_key,
    person_source_id,
    forename,
    surname,
    date_of_birth,
    sex,
    postcode,
    {{ null_string() }} as address_line,
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
    ethnicity_dfe_code,
    ethnicity_ons18_code,
    episode_start,
    episode_end,
    team,
    closure_reason
from base
