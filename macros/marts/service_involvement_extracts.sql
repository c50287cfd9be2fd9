{#-
    The person-bearing extracts that become one involvement per record (the school census,
    which becomes enrolments, is not among them), shared by int_service_episodes__unioned and
    the purpose-specific episode models:
    (service, staging model, involvement_type, detail, start, end, is one-day contact)
    detail, start and end are SQL over the staging model's columns.
-#}
{% macro service_involvement_extracts() -%}
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
{{- return(involvements) -}}
{%- endmacro %}
