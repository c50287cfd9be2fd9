{#- Every raw row of childrens_social_care/mash_contacts.csv, typed and judged:
    one row per MASH (multi-agency safeguarding hub) contact. -#}
{{ check_extract('childrens_social_care', 'mash_contacts') }}

{{ stage_extract(
    'childrens_social_care', 'mash_contacts',
    key='contact_id',
    columns=[
        {'name': 'person_source_id', 'raw': 'person_id', 'type': 'id'},
        {'name': 'forename', 'raw': 'forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'dob', 'type': 'date', 'layout': 'iso', 'not_future': true},
        {'name': 'nhs_number', 'raw': 'nhs_number', 'type': 'nhs_number'},
        {'name': 'contact_date', 'raw': 'contact_date', 'type': 'date', 'layout': 'iso', 'required': true, 'close_date': true},
        {'name': 'contact_source', 'raw': 'source', 'type': 'code', 'values': ['Police', 'School', 'Health', 'Self', 'Other LA']},
        {'name': 'outcome', 'raw': 'outcome', 'type': 'code', 'values': ['NFA', 'Early help', 'Social care', 'Strategy']}
    ]
) }}
