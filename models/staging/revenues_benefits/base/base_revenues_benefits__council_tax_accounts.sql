{#- Every raw row of revenues_benefits/council_tax_accounts.csv, typed and judged:
    one row per council tax account (its lead liable party). -#}
{{ check_extract('revenues_benefits', 'council_tax_accounts') }}

{{ stage_extract(
    'revenues_benefits', 'council_tax_accounts',
    key='AccountRef',
    columns=[
        {'name': 'title', 'raw': 'Title', 'type': 'code', 'values': ['Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Mx']},
        {'name': 'forename', 'raw': 'LiableParty', 'type': 'full_name', 'layout': 'surname_first', 'part': 'forename'},
        {'name': 'surname', 'raw': 'LiableParty', 'type': 'full_name', 'layout': 'surname_first', 'part': 'surname'},
        {'name': 'date_of_birth', 'raw': 'DOB', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'ni_number', 'raw': 'NINO', 'type': 'ni_number'},
        {'name': 'address_line', 'raw': 'PropAddr1', 'type': 'address'},
        {'name': 'locality', 'raw': 'PropAddr2', 'type': 'upper'},
        {'name': 'postcode', 'raw': 'PropPostcode', 'type': 'postcode'},
        {'name': 'uprn', 'raw': 'UPRN', 'type': 'uprn'},
        {'name': 'council_tax_band', 'raw': 'Band', 'type': 'lookup', 'seed': 'council_tax_bands', 'match': 'band', 'return': 'band'},
        {'name': 'single_person_discount', 'raw': 'SPD', 'type': 'boolean'},
        {'name': 'single_person_discount_start', 'raw': 'SPDStart', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'occupier_type', 'raw': 'OccupierType', 'type': 'code', 'values': ['Owner occupier', 'Private tenant', 'Social tenant']},
        {'name': 'account_start_date', 'raw': 'AccountStart', 'type': 'date', 'layout': 'dmy', 'required': true},
        {'name': 'account_end_date', 'raw': 'AccountEnd', 'type': 'date', 'layout': 'dmy', 'close_date': true}
    ]
) }}
