{#- Every raw row of education/exclusions.csv, typed and judged:
    one row per suspension or permanent exclusion. -#}
{{ check_extract('education', 'exclusions') }}

{{ stage_extract(
    'education', 'exclusions',
    key=['UPN', 'StartDate', 'Category'],
    columns=[
        {'name': 'upn_ref', 'raw': 'UPN', 'type': 'id'},
        {'name': 'school_urn', 'raw': 'URN', 'type': 'text'},
        {'name': 'start_date', 'raw': 'StartDate', 'type': 'date', 'layout': 'iso', 'required': true, 'close_date': true},
        {'name': 'category', 'raw': 'Category', 'type': 'code', 'values': ['SUSP', 'PERM'], 'required': true},
        {'name': 'reason_code', 'raw': 'Reason', 'type': 'lookup', 'seed': 'dfe_exclusion_reasons', 'match': 'code', 'return': 'code'},
        {'name': 'sessions', 'raw': 'Sessions', 'type': 'integer', 'min': 0},
        {'name': 'census_record_id', 'type': 'expr', 'expr': dbt.concat([clean_id('source."UPN"'), "'|'", school_term_of_date(parse_date('source."StartDate"', 'iso'))])}
    ]
) }}
