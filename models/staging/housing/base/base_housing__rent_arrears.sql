{#- Every raw row of housing/rent_arrears.csv, typed and judged:
    one row per tenancy per month with rent arrears. -#}
{{ check_extract('housing', 'rent_arrears') }}

{{ stage_extract(
    'housing', 'rent_arrears',
    key=['TenancyRef', 'Month'],
    columns=[
        {'name': 'tenancy_ref', 'raw': 'TenancyRef', 'type': 'id'},
        {'name': 'period_month', 'raw': 'Month', 'type': 'date', 'layout': 'mon_yyyy', 'required': true, 'close_date': true},
        {'name': 'arrears_balance', 'raw': 'ArrearsBalance', 'type': 'decimal', 'required': true, 'min': 0}
    ]
) }}
