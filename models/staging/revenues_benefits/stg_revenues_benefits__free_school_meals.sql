{#- Staged revenues_benefits/free_school_meals:
    one row per eligible child per eligibility period. -#}
with

base as (
    select *
    from {{ ref('base_revenues_benefits__free_school_meals') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('revenues_benefits', 'free_school_meals', 'record_id') }} as record_key,
    {{ null_string() }} as person_source_id,
    forename,
    surname,
    date_of_birth,
    {{ null_string() }} as sex,
    {{ null_string() }} as postcode,
    {{ null_string() }} as address_line,
    {{ null_string() }} as uprn,
    {{ null_string() }} as nhs_number,
    {{ null_string() }} as ni_number,
    {{ null_string() }} as upn,
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    parent_claim_id,
    school_urn,
    eligible_from,
    eligible_to
from base
