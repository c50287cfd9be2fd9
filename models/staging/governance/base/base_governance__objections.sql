{#- Every raw row of governance/objections.csv, typed and judged:
    one row per objection to processing. -#}
{{ check_extract('governance', 'objections') }}

{{ stage_extract(
    'governance', 'objections',
    key='objection_id',
    columns=[
        {'name': 'received_date', 'raw': 'received_date', 'type': 'date', 'layout': 'iso', 'required': true, 'not_future': true},
        {'name': 'service', 'raw': 'service', 'type': 'code', 'values': ['revenues_benefits', 'housing', 'homelessness', 'childrens_social_care', 'adults_social_care', 'education'], 'required': true},
        {'name': 'source_file', 'raw': 'source_file', 'type': 'code', 'values': ['approaches', 'attendance', 'benefit_claims', 'cin_episodes', 'council_tax_accounts', 'council_tax_arrears', 'debts', 'early_help_episodes', 'exclusions', 'free_school_meals', 'involvements', 'mash_contacts', 'money_hub_contacts', 'register_applications', 'rent_arrears', 'school_census', 'spoa_referrals', 'temporary_accommodation', 'tenancies', 'tenancy_notices', 'youth_offending'], 'required': true},
        {'name': 'cited_id', 'raw': 'source_record_id', 'type': 'id', 'required': true},
        {'name': 'processing', 'raw': 'processing', 'type': 'code', 'values': ['predictive_analytics', 'all_analytics'], 'required': true}
    ]
) }}
