{#- Staged childrens_social_care/mash_contacts:
    one row per MASH (multi-agency safeguarding hub) contact. -#}
with

base as (
    select *
    from {{ ref('base_childrens_social_care__mash_contacts') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('childrens_social_care', 'mash_contacts', 'record_id') }} as record_key,
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
    contact_date,
    contact_source,
    outcome
from base
