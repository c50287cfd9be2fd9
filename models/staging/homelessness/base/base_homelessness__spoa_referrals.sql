{#- Every raw row of homelessness/spoa_referrals.csv, typed and judged:
    one row per single point of access referral. -#}
{{ check_extract('homelessness', 'spoa_referrals') }}

{{ stage_extract(
    'homelessness', 'spoa_referrals',
    key='referral_id',
    columns=[
        {'name': 'forename', 'raw': 'full_name', 'type': 'full_name', 'layout': 'forenames_surname', 'part': 'forename'},
        {'name': 'surname', 'raw': 'full_name', 'type': 'full_name', 'layout': 'forenames_surname', 'part': 'surname'},
        {'name': 'date_of_birth', 'raw': 'dob', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'postcode', 'raw': 'postcode', 'type': 'postcode'},
        {'name': 'referral_date', 'raw': 'referral_date', 'type': 'date', 'layout': 'dmy', 'required': true, 'close_date': true},
        {'name': 'referrer', 'raw': 'referrer', 'type': 'code', 'values': ['Probation', 'Hospital', 'Police', 'Self', 'Voluntary sector']},
        {'name': 'need', 'raw': 'need', 'type': 'code', 'values': ['Housing', 'Mental health', 'Substance misuse', 'Domestic abuse']}
    ]
) }}
