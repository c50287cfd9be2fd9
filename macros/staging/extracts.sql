{#-
    The extracts staging reads, in one list: the reconciliation and rejection models union
    over it (tests/staging checks it matches the sources declared in models/staging).
    Each entry: service, source_file (the CSV name without .csv), person (the staged model
    names a person and carries the standard match columns of docs/layers.md), person_id (the
    system has its own person id: person_source_id is filled).
-#}
{% macro staging_extracts() -%}
    {{ return([
        {'service': 'revenues_benefits', 'source_file': 'council_tax_accounts', 'person': true, 'person_id': false},
        {'service': 'revenues_benefits', 'source_file': 'council_tax_arrears', 'person': false, 'person_id': false},
        {'service': 'revenues_benefits', 'source_file': 'benefit_claims', 'person': true, 'person_id': false},
        {'service': 'revenues_benefits', 'source_file': 'free_school_meals', 'person': true, 'person_id': false},
        {'service': 'revenues_benefits', 'source_file': 'debts', 'person': true, 'person_id': false},
        {'service': 'housing', 'source_file': 'tenancies', 'person': true, 'person_id': false},
        {'service': 'housing', 'source_file': 'rent_arrears', 'person': false, 'person_id': false},
        {'service': 'housing', 'source_file': 'tenancy_notices', 'person': false, 'person_id': false},
        {'service': 'housing', 'source_file': 'temporary_accommodation', 'person': true, 'person_id': false},
        {'service': 'housing', 'source_file': 'money_hub_contacts', 'person': true, 'person_id': false},
        {'service': 'homelessness', 'source_file': 'register_applications', 'person': true, 'person_id': false},
        {'service': 'homelessness', 'source_file': 'approaches', 'person': true, 'person_id': false},
        {'service': 'homelessness', 'source_file': 'spoa_referrals', 'person': true, 'person_id': false},
        {'service': 'childrens_social_care', 'source_file': 'early_help_episodes', 'person': true, 'person_id': true},
        {'service': 'childrens_social_care', 'source_file': 'mash_contacts', 'person': true, 'person_id': true},
        {'service': 'childrens_social_care', 'source_file': 'youth_offending', 'person': true, 'person_id': true},
        {'service': 'childrens_social_care', 'source_file': 'cin_episodes', 'person': true, 'person_id': true},
        {'service': 'adults_social_care', 'source_file': 'involvements', 'person': true, 'person_id': true},
        {'service': 'education', 'source_file': 'school_census', 'person': true, 'person_id': true},
        {'service': 'education', 'source_file': 'attendance', 'person': false, 'person_id': false},
        {'service': 'education', 'source_file': 'exclusions', 'person': false, 'person_id': false},
        {'service': 'governance', 'source_file': 'objections', 'person': false, 'person_id': false},
    ]) }}
{%- endmacro %}

{#- The model names of an extract: base_<service>__<file> and stg_<service>__<file>. -#}
{% macro staging_model_name(extract, prefix='stg') -%}
    {{ return(prefix ~ '_' ~ extract.service ~ '__' ~ extract.source_file) }}
{%- endmacro %}
