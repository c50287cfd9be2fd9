{#- Every raw row of childrens_social_care/early_help_episodes.csv, typed and judged:
    one row per early help episode. -#}
{{ check_extract('childrens_social_care', 'early_help_episodes') }}

{{ stage_extract(
    'childrens_social_care', 'early_help_episodes',
    key='episode_id',
    columns=[
        {'name': 'person_source_id', 'raw': 'person_id', 'type': 'id'},
        {'name': 'forename', 'raw': 'forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'dob', 'type': 'date', 'layout': 'iso', 'not_future': true},
        {'name': 'sex', 'raw': 'sex', 'type': 'code', 'values': ['M', 'F'], 'null_values': ['U']},
        {'name': 'ethnicity_dfe_code', 'raw': 'ethnicity', 'type': 'lookup', 'seed': 'ethnicity_dfe_codes', 'match': 'dfe_code', 'return': 'dfe_code'},
        {'name': 'ethnicity_ons18_code', 'raw': 'ethnicity', 'type': 'lookup', 'seed': 'ethnicity_dfe_codes', 'match': 'dfe_code', 'return': 'ons18_code', 'check': false},
        {'name': 'nhs_number', 'raw': 'nhs_number', 'type': 'nhs_number'},
        {'name': 'postcode', 'raw': 'postcode', 'type': 'postcode'},
        {'name': 'episode_start', 'raw': 'episode_start', 'type': 'date', 'layout': 'iso', 'required': true},
        {'name': 'episode_end', 'raw': 'episode_end', 'type': 'date', 'layout': 'iso', 'close_date': true},
        {'name': 'team', 'raw': 'team', 'type': 'text'},
        {'name': 'closure_reason', 'raw': 'closure_reason', 'type': 'text'}
    ]
) }}
