{#- Every raw row of childrens_social_care/cin_episodes.csv, typed and judged:
    one row per child in need episode. -#}
{{ check_extract('childrens_social_care', 'cin_episodes') }}

{{ stage_extract(
    'childrens_social_care', 'cin_episodes',
    key='cin_id',
    columns=[
        {'name': 'person_source_id', 'raw': 'person_id', 'type': 'id'},
        {'name': 'forename', 'raw': 'forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'dob', 'type': 'date', 'layout': 'iso', 'not_future': true},
        {'name': 'nhs_number', 'raw': 'nhs_number', 'type': 'nhs_number'},
        {'name': 'cin_start', 'raw': 'cin_start', 'type': 'date', 'layout': 'iso', 'required': true},
        {'name': 'cin_end', 'raw': 'cin_end', 'type': 'date', 'layout': 'iso', 'close_date': true},
        {'name': 'primary_need', 'raw': 'primary_need', 'type': 'code', 'values': ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9']}
    ]
) }}
