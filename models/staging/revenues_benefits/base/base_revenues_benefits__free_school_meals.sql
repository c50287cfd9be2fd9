{#- Every raw row of revenues_benefits/free_school_meals.csv, typed and judged:
    one row per eligible child per eligibility period. -#}
{{ check_extract('revenues_benefits', 'free_school_meals') }}

{{ stage_extract(
    'revenues_benefits', 'free_school_meals',
    key='fsm_ref',
    columns=[
        {'name': 'forename', 'raw': 'child_forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'child_surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'child_dob', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'parent_claim_id', 'raw': 'parent_claim_id', 'type': 'id'},
        {'name': 'school_urn', 'raw': 'school_urn', 'type': 'text'},
        {'name': 'eligible_from', 'raw': 'eligible_from', 'type': 'date', 'layout': 'dmy', 'required': true},
        {'name': 'eligible_to', 'raw': 'eligible_to', 'type': 'date', 'layout': 'dmy', 'close_date': true}
    ]
) }}
