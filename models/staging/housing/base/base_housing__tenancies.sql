{#- Every raw row of housing/tenancies.csv, typed and judged:
    one row per council tenancy (its lead tenant). -#}
{{ check_extract('housing', 'tenancies') }}

{{ stage_extract(
    'housing', 'tenancies',
    key='TenancyRef',
    columns=[
        {'name': 'uprn', 'raw': 'UPRN', 'type': 'uprn'},
        {'name': 'address_line', 'raw': 'PropertyAddress', 'type': 'address'},
        {'name': 'postcode', 'raw': 'Postcode', 'type': 'postcode'},
        {'name': 'title', 'raw': 'TenantTitle', 'type': 'code', 'values': ['Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Mx']},
        {'name': 'forename', 'raw': 'TenantFirstName', 'type': 'name'},
        {'name': 'surname', 'raw': 'TenantLastName', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'TenantDOB', 'type': 'date', 'layout': 'iso_time', 'not_future': true},
        {'name': 'ni_number', 'raw': 'TenantNINO', 'type': 'ni_number'},
        {'name': 'tenure_type', 'raw': 'TenureType', 'type': 'code', 'values': ['Secure', 'Introductory', 'Flexible']},
        {'name': 'start_date', 'raw': 'StartDate', 'type': 'date', 'layout': 'iso_time', 'required': true},
        {'name': 'end_date', 'raw': 'EndDate', 'type': 'date', 'layout': 'iso_time', 'close_date': true},
        {'name': 'end_reason', 'raw': 'EndReason', 'type': 'code', 'values': ['Moved', 'Evicted', 'Abandoned', 'Deceased', 'Transfer']}
    ]
) }}
