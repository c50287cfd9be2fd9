{#- Staged housing/temporary_accommodation:
    one row per temporary accommodation placement. -#}
with

base as (
    select *
    from {{ ref('base_housing__temporary_accommodation') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('housing', 'temporary_accommodation', 'record_id') }} as record_key,
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
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    household_size,
    children_count,
    placement_start,
    placement_end,
    accommodation_type
from base
