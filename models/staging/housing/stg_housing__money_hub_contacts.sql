{#- Staged housing/money_hub_contacts:
    one row per Homes and Money Hub contact. -#}
with

base as (
    select *
    from {{ ref('base_housing__money_hub_contacts') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('housing', 'money_hub_contacts', 'record_id') }} as record_key,
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
    phone,
    email,
    postcode_valid,
    postcode_invalid_reason,
    phone_valid,
    phone_invalid_reason,
    email_valid,
    email_invalid_reason,
    contact_date,
    topic
from base
