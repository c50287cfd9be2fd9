{#- Every raw row of childrens_social_care/youth_offending.csv, typed and judged:
    one row per youth justice outcome. -#}
{{ check_extract('childrens_social_care', 'youth_offending') }}

{{ stage_extract(
    'childrens_social_care', 'youth_offending',
    key='yos_id',
    columns=[
        {'name': 'person_source_id', 'raw': 'person_id', 'type': 'id'},
        {'name': 'forename', 'raw': 'forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'dob', 'type': 'date', 'layout': 'iso', 'not_future': true},
        {'name': 'sex', 'raw': 'sex', 'type': 'code', 'values': ['M', 'F'], 'null_values': ['U']},
        {'name': 'ethnicity_dfe_code', 'raw': 'ethnicity', 'type': 'lookup', 'seed': 'ethnicity_dfe_codes', 'match': 'dfe_code', 'return': 'dfe_code'},
        {'name': 'ethnicity_ons18_code', 'raw': 'ethnicity', 'type': 'lookup', 'seed': 'ethnicity_dfe_codes', 'match': 'dfe_code', 'return': 'ons18_code', 'check': false},
        {'name': 'postcode', 'raw': 'postcode', 'type': 'postcode'},
        {'name': 'offence_date', 'raw': 'offence_date', 'type': 'date', 'layout': 'iso', 'required': true, 'close_date': true},
        {'name': 'outcome', 'raw': 'outcome', 'type': 'code', 'values': ['Caution', 'Youth conditional caution', 'Referral order', 'YRO']}
    ]
) }}
