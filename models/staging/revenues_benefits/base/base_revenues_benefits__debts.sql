{#- Every raw row of revenues_benefits/debts.csv, typed and judged:
    one row per sundry or overpayment debt. -#}
{{ check_extract('revenues_benefits', 'debts') }}

{{ stage_extract(
    'revenues_benefits', 'debts',
    key='debt_ref',
    columns=[
        {'name': 'forename', 'raw': 'debtor_name', 'type': 'full_name', 'layout': 'forenames_surname', 'part': 'forename'},
        {'name': 'surname', 'raw': 'debtor_name', 'type': 'full_name', 'layout': 'forenames_surname', 'part': 'surname'},
        {'name': 'date_of_birth', 'raw': 'debtor_dob', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'postcode', 'raw': 'debtor_postcode', 'type': 'postcode'},
        {'name': 'debt_type', 'raw': 'debt_type', 'type': 'code', 'values': ['HB overpayment', 'Sundry', 'Council tax']},
        {'name': 'raised_date', 'raw': 'raised_date', 'type': 'date', 'layout': 'dmy', 'required': true},
        {'name': 'cleared_date', 'raw': 'cleared_date', 'type': 'date', 'layout': 'dmy', 'close_date': true},
        {'name': 'amount', 'raw': 'amount', 'type': 'decimal', 'required': true, 'min': 0}
    ]
) }}
