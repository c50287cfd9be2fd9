{#- Every raw row of housing/money_hub_contacts.csv, typed and judged:
    one row per Homes and Money Hub contact. -#}
{{ check_extract('housing', 'money_hub_contacts') }}

{{ stage_extract(
    'housing', 'money_hub_contacts',
    key='ContactID',
    columns=[
        {'name': 'forename', 'raw': 'Name', 'type': 'full_name', 'layout': 'forenames_surname', 'part': 'forename'},
        {'name': 'surname', 'raw': 'Name', 'type': 'full_name', 'layout': 'forenames_surname', 'part': 'surname'},
        {'name': 'date_of_birth', 'raw': 'DOB', 'type': 'date', 'layout': 'dmy', 'not_future': true},
        {'name': 'phone', 'raw': 'Phone', 'type': 'phone'},
        {'name': 'email', 'raw': 'Email', 'type': 'email'},
        {'name': 'postcode', 'raw': 'Postcode', 'type': 'postcode'},
        {'name': 'contact_date', 'raw': 'ContactDate', 'type': 'date', 'layout': 'dmy', 'required': true, 'close_date': true},
        {'name': 'topic', 'raw': 'Topic', 'type': 'code', 'values': ['Debt', 'Benefits', 'Rent', 'Budgeting', 'Employment', 'Landlord notice', 'Relationship breakdown']}
    ]
) }}
