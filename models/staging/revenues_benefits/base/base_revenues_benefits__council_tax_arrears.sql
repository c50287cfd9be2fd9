{#- Every raw row of revenues_benefits/council_tax_arrears.csv, typed and judged:
    one row per council tax account per month with arrears. -#}
{{ check_extract('revenues_benefits', 'council_tax_arrears') }}

{{ stage_extract(
    'revenues_benefits', 'council_tax_arrears',
    key=['AccountRef', 'Period'],
    columns=[
        {'name': 'account_ref', 'raw': 'AccountRef', 'type': 'id'},
        {'name': 'period_month', 'raw': 'Period', 'type': 'date', 'layout': 'yyyy_mm', 'required': true, 'close_date': true},
        {'name': 'arrears_balance', 'raw': 'ArrearsBalance', 'type': 'decimal', 'required': true, 'min': 0},
        {'name': 'recovery_stage', 'raw': 'RecoveryStage', 'type': 'code', 'values': ['Reminder', 'Final', 'Summons', 'Liability Order', 'Enforcement']}
    ]
) }}
