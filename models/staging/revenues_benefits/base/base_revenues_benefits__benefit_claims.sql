{#- Every raw row of revenues_benefits/benefit_claims.csv, typed and judged:
    one row per housing benefit / council tax support claim. -#}
{{ check_extract('revenues_benefits', 'benefit_claims') }}

{{ stage_extract(
    'revenues_benefits', 'benefit_claims',
    key='claim_id',
    columns=[
        {'name': 'forename', 'raw': 'claimant_forename', 'type': 'name'},
        {'name': 'surname', 'raw': 'claimant_surname', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'claimant_dob', 'type': 'date', 'layout': 'iso', 'not_future': true},
        {'name': 'ni_number', 'raw': 'claimant_nino', 'type': 'ni_number'},
        {'name': 'address_line', 'raw': 'address', 'type': 'address', 'one_line': true},
        {'name': 'postcode', 'raw': 'postcode', 'type': 'postcode'},
        {'name': 'claim_type', 'raw': 'claim_type', 'type': 'code', 'values': ['HB', 'CTS', 'HB+CTS']},
        {'name': 'start_date', 'raw': 'start_date', 'type': 'date', 'layout': 'iso', 'required': true},
        {'name': 'end_date', 'raw': 'end_date', 'type': 'date', 'layout': 'iso', 'close_date': true},
        {'name': 'weekly_award', 'raw': 'weekly_award', 'type': 'decimal', 'min': 0},
        {'name': 'last_change_date', 'raw': 'last_change_date', 'type': 'date', 'layout': 'iso'},
        {'name': 'last_change_type', 'raw': 'last_change_type', 'type': 'code', 'values': ['income increase', 'income decrease', 'award reduced', 'suspended', 'new claim']}
    ]
) }}
