{#- Every raw row of homelessness/approaches.csv, typed and judged:
    one row per homelessness approach (case). -#}
{{ check_extract('homelessness', 'approaches') }}

{{ stage_extract(
    'homelessness', 'approaches',
    key='case_ref',
    columns=[
        {'name': 'forename', 'raw': 'forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'dob', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'sex', 'raw': 'sex', 'type': 'code', 'values': ['M', 'F'], 'null_values': ['X']},
        {'name': 'ethnicity_ons18_code', 'raw': 'ethnicity', 'type': 'lookup', 'seed': 'ethnicity_ons18', 'match': 'ons18_label', 'return': 'ons18_code'},
        {'name': 'phone', 'raw': 'phone', 'type': 'phone'},
        {'name': 'postcode', 'raw': 'postcode', 'type': 'postcode'},
        {'name': 'approach_date', 'raw': 'approach_date', 'type': 'date', 'layout': 'dmy', 'required': true},
        {'name': 'reason', 'raw': 'reason', 'type': 'code', 'values': ['End of AST', 'Family no longer willing', 'Rent arrears', 'Domestic abuse', 'Relationship breakdown', 'Mortgage arrears', 'Other']},
        {'name': 'duty', 'raw': 'duty', 'type': 'code', 'values': ['Prevention', 'Relief', 'Main', 'No duty']},
        {'name': 'duty_start', 'raw': 'duty_start', 'type': 'date', 'layout': 'dmy'},
        {'name': 'duty_end', 'raw': 'duty_end', 'type': 'date', 'layout': 'dmy'},
        {'name': 'outcome', 'raw': 'outcome', 'type': 'code', 'values': ['Secured accommodation', 'Homeless', 'Contact lost', 'Withdrew', 'Ongoing']},
        {'name': 'closed_date', 'type': 'expr', 'close_date': true, 'expr': "case when upper(trim(source.outcome)) <> 'ONGOING' then coalesce(" ~ parse_date('source.duty_end', 'dmy') ~ ", " ~ parse_date('source.duty_start', 'dmy') ~ ", " ~ parse_date('source.approach_date', 'dmy') ~ ") end"}
    ]
) }}
