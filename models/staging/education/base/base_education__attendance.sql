{#- Every raw row of education/attendance.csv, typed and judged:
    one row per pupil per term per absence reason. -#}
{{ check_extract('education', 'attendance') }}

{{ stage_extract(
    'education', 'attendance',
    key=['UPN', 'Term', 'AbsenceCode'],
    columns=[
        {'name': 'upn_ref', 'raw': 'UPN', 'type': 'id'},
        {'name': 'census_term', 'raw': 'Term', 'type': 'expr', 'expr': school_term_label('source."Term"')},
        {'name': 'term_start_date', 'raw': 'Term', 'type': 'date', 'layout': 'school_term', 'required': true},
        {'name': 'term_end_date', 'raw': 'Term', 'type': 'expr', 'close_date': true, 'expr': school_term_end('source."Term"')},
        {'name': 'sessions_possible', 'raw': 'SessionsPossible', 'type': 'integer', 'required': true, 'min': 0},
        {'name': 'absence_code', 'raw': 'AbsenceCode', 'type': 'lookup', 'seed': 'dfe_attendance_codes', 'match': 'code', 'return': 'code', 'required': true},
        {'name': 'sessions', 'raw': 'Sessions', 'type': 'integer', 'required': true, 'min': 0},
        {'name': 'census_record_id', 'type': 'expr', 'expr': staging_key_expr(['UPN', 'Term'])}
    ]
) }}
