-- One row per involvement of an in-scope person: each record of a person-bearing extract,
-- except the school census, whose termly returns become one enrolment per pupil and school
-- (from the first term's start to the last term's end; open when the pupil was on roll at
-- the latest census in the extract). With its type, the service's own category (never an
-- identifier or free text), start, end and status at the extract date. One-day contacts
-- start and end on the same day.

{%- set as_of = marts_as_of_date_sql() %}
{#-
    (service, staging model, involvement_type, detail, start, end, is one-day contact)
    detail, start and end are SQL over the staging model's columns.
-#}
{%- set involvements = [
    ('revenues_benefits', 'stg_revenues_benefits__council_tax_accounts', 'council_tax_account',
        "'Band ' || council_tax_band", 'account_start_date', 'account_end_date', false),
    ('revenues_benefits', 'stg_revenues_benefits__benefit_claims', 'benefit_claim',
        'claim_type', 'start_date', 'end_date', false),
    ('revenues_benefits', 'stg_revenues_benefits__free_school_meals', 'free_school_meals',
        'cast(null as varchar)', 'eligible_from', 'eligible_to', false),
    ('revenues_benefits', 'stg_revenues_benefits__debts', 'debt',
        'debt_type', 'raised_date', 'cleared_date', false),
    ('housing', 'stg_housing__tenancies', 'council_tenancy',
        "tenure_type || coalesce(', ended: ' || end_reason, '')", 'start_date', 'end_date', false),
    ('housing', 'stg_housing__temporary_accommodation', 'temporary_accommodation',
        'accommodation_type', 'placement_start', 'placement_end', false),
    ('housing', 'stg_housing__money_hub_contacts', 'money_hub_contact',
        'topic', 'contact_date', 'contact_date', true),
    ('homelessness', 'stg_homelessness__register_applications', 'housing_register_application',
        "'Band ' || priority_band || coalesce(', ' || status, '')", 'application_date',
        "case when status in ('Housed', 'Cancelled', 'Suspended') then status_date end", false),
    ('homelessness', 'stg_homelessness__approaches', 'homelessness_approach',
        "coalesce(duty, 'No duty recorded') || coalesce(', ' || outcome, '')", 'approach_date',
        'closed_date', false),
    ('homelessness', 'stg_homelessness__spoa_referrals', 'spoa_referral',
        "coalesce(referrer, 'Unknown referrer') || ': ' || coalesce(need, 'unknown need')",
        'referral_date', 'referral_date', true),
    ('childrens_social_care', 'stg_childrens_social_care__early_help_episodes', 'early_help',
        'cast(null as varchar)', 'episode_start', 'episode_end', false),
    ('childrens_social_care', 'stg_childrens_social_care__mash_contacts', 'mash_contact',
        "coalesce(contact_source, 'Unknown source') || ': ' || coalesce(outcome, 'no outcome')",
        'contact_date', 'contact_date', true),
    ('childrens_social_care', 'stg_childrens_social_care__youth_offending', 'youth_justice_outcome',
        'outcome', 'offence_date', 'offence_date', true),
    ('childrens_social_care', 'stg_childrens_social_care__cin_episodes', 'child_in_need',
        'primary_need', 'cin_start', 'cin_end', false),
    ('adults_social_care', 'stg_adults_social_care__involvements', 'adult_social_care',
        'service_type', 'start_date', 'end_date', false),
] %}

with

records as (

    select * from {{ ref('int_records__keyed') }}

),

involvements as (

    {%- for service, model, involvement_type, detail, start_expr, end_expr, point in involvements %}
    {%- if not loop.first %}

    union all
    {% endif %}

    select
        record_key,
        '{{ service }}' as service,
        '{{ involvement_type }}' as involvement_type,
        cast({{ detail }} as {{ dbt.type_string() }}) as involvement_detail,
        cast({{ start_expr }} as date) as start_date,
        cast({{ end_expr }} as date) as end_date,
        {{ 'true' if point else 'false' }} as is_point_event
    from {{ ref(model) }}
    {%- endfor %}

),

census_returns as (

    select
        school_census.record_key,
        school_census.school_urn,
        school_census.term_start_date,
        school_census.term_end_date,
        records.person_key
    from {{ ref('stg_education__school_census') }} as school_census
    inner join records
        on school_census.record_key = records.record_key

),

enrolments as (

    -- keyed by one of its returns (the smallest record_key), hashed to episode_key below
    select
        min(record_key) as record_key,
        'education' as service,
        'school_enrolment' as involvement_type,
        cast(count(*) as {{ dbt.type_string() }}) || ' census terms' as involvement_detail,
        cast(min(term_start_date) as date) as start_date,
        case
            when
                max(term_end_date)
                < (select max(latest.term_end_date) from census_returns as latest)
                then cast(max(term_end_date) as date)
        end as end_date,
        false as is_point_event
    from census_returns
    group by person_key, school_urn

),

all_involvements as (

    select * from involvements
    union all
    select * from enrolments

),

final as (

    select
        {{ single_view_key('involvements.record_key') }} as episode_key,
        involvements.record_key,
        records.person_key,
        records.household_key,
        records.household_id,
        involvements.service,
        records.source_file,
        involvements.involvement_type,
        involvements.involvement_detail,
        involvements.start_date,
        involvements.end_date,
        case
            when involvements.is_point_event then 'closed'
            when involvements.end_date is null or involvements.end_date >= {{ as_of }} then 'open'
            else 'closed'
        end as status,
        involvements.is_point_event
    from all_involvements as involvements
    inner join records
        on involvements.record_key = records.record_key

)

select * from final
