{#- Staged education/school_census:
    one row per pupil per census term. -#}
with

base as (
    select *
    from {{ ref('base_education__school_census') }}
    where staging_status = 'staged'
)

select
    record_id,
    {{ record_key('education', 'school_census', 'record_id') }} as record_key,
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
    upn,
    {{ null_string() }} as phone,
    {{ null_string() }} as email,
    postcode_valid,
    postcode_invalid_reason,
    upn_valid,
    upn_invalid_reason,
    ethnicity_dfe_code,
    ethnicity_ons18_code,
    sen_provision,
    fsm_eligible,
    school_urn,
    census_term,
    academic_year,
    term_start_date,
    term_end_date
from base
