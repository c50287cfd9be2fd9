{#- Every raw row of homelessness/register_applications.csv, typed and judged:
    one row per housing register application. -#}
{{ check_extract('homelessness', 'register_applications') }}

{{ stage_extract(
    'homelessness', 'register_applications',
    key='app_no',
    columns=[
        {'name': 'forename', 'raw': 'forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'dob', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'ni_number', 'raw': 'ni_number', 'type': 'ni_number'},
        {'name': 'address_line', 'raw': 'address', 'type': 'address', 'one_line': true},
        {'name': 'postcode', 'raw': 'postcode', 'type': 'postcode'},
        {'name': 'priority_band', 'raw': 'band', 'type': 'code', 'values': ['Emergency', 'A', 'B', 'C', 'D']},
        {'name': 'household_members', 'raw': 'household_members', 'type': 'integer', 'min': 1},
        {'name': 'application_date', 'raw': 'application_date', 'type': 'date', 'layout': 'dmy', 'required': true},
        {'name': 'status_date', 'raw': 'status_date', 'type': 'date', 'layout': 'dmy'},
        {'name': 'status', 'raw': 'status', 'type': 'code', 'values': ['Active', 'Suspended', 'Housed', 'Cancelled']},
        {'name': 'closed_date', 'type': 'expr', 'close_date': true, 'expr': "case when upper(trim(source.status)) in ('HOUSED', 'CANCELLED') then " ~ parse_date('source.status_date', 'dmy') ~ " end"}
    ]
) }}
