{#- Staged housing/tenancies:
    one row per council tenancy (its lead tenant). -#}
with

base as (
    select *
    from {{ ref('base_housing__tenancies') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('housing', 'tenancies', 'record_id') }} as record_key,
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
    tenure_type,
    start_date,
    end_date,
    end_reason
from base
