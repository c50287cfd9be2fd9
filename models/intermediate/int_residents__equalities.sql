-- One row per in-scope person_key (no objection to all analytics): the characteristics bias
-- monitoring compares groups on (age band, sex, ethnic group, disability), drawn only from
-- the extracts the bias_monitoring purpose may use (governance/purposes.yml; the purpose
-- check fails if this list reaches further). Read only by dim_resident_protected.

{%- set as_of = marts_as_of_date_sql() %}
{%- set bias_monitoring_extracts = [
    'revenues_benefits.council_tax_accounts',
    'revenues_benefits.benefit_claims',
    'revenues_benefits.debts',
    'housing.tenancies',
    'housing.temporary_accommodation',
    'housing.money_hub_contacts',
    'homelessness.register_applications',
    'homelessness.approaches',
    'homelessness.spoa_referrals',
    'childrens_social_care.early_help_episodes',
    'adults_social_care.involvements',
    'education.school_census',
] %}

with

persons as (

    select * from {{ ref('int_persons__keyed') }}
    where not objects_all_analytics

),

records as (

    select * from {{ ref('int_records__keyed') }}

),

ethnic_groups as (

    select * from {{ ref('ethnicity_ons18') }}

),

attributes as (

    {{ single_view_person_attributes(bias_monitoring_extracts) }}

),

person_attributes as (

    select
        records.person_key,
        attributes.date_of_birth,
        attributes.sex,
        attributes.sex_from_title,
        attributes.ethnicity_ons18_code,
        attributes.has_disability
    from attributes
    inner join records
        on attributes.record_key = records.record_key

),

dates_of_birth as (

    {{ person_dates_of_birth_ranked('person_attributes') }}

),

sexes as (

    {{ person_sexes_ranked('person_attributes') }}

),

ethnicities as (

    -- the ethnic group most records hold (ties: alphabetical)
    select
        person_attributes.person_key,
        ethnic_groups.ons5_group as ethnicity_group,
        row_number() over (
            partition by person_attributes.person_key
            order by count(*) desc, ethnic_groups.ons5_group asc
        ) as ethnicity_rank
    from person_attributes
    inner join ethnic_groups
        on
            person_attributes.ethnicity_ons18_code
            = cast(ethnic_groups.ons18_code as {{ dbt.type_string() }})
    group by person_attributes.person_key, ethnic_groups.ons5_group

),

disabilities as (

    select
        person_key,
        {{ dbt.bool_or('has_disability') }} as disability
    from person_attributes
    where has_disability is not null
    group by person_key

),

final as (

    select
        persons.person_key,
        {{ age_band(age_in_years('dates_of_birth.date_of_birth', as_of)) }} as age_band,
        sexes.sex,
        ethnicities.ethnicity_group,
        disabilities.disability
    from persons
    -- dates_of_birth is read through age_in_years() above
    left join dates_of_birth  -- noqa: ST11
        on persons.person_key = dates_of_birth.person_key and dates_of_birth.dob_rank = 1
    left join sexes
        on persons.person_key = sexes.person_key and sexes.sex_rank = 1
    left join ethnicities
        on persons.person_key = ethnicities.person_key and ethnicities.ethnicity_rank = 1
    left join disabilities
        on persons.person_key = disabilities.person_key

)

select * from final
