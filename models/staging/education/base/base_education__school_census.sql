{#- Every raw row of education/school_census.csv, typed and judged:
    one row per pupil per census term. -#}
{{ check_extract('education', 'school_census') }}

{{ stage_extract(
    'education', 'school_census',
    key=['UPN', 'CensusTerm'],
    columns=[
        {'name': 'person_source_id', 'raw': 'UPN', 'type': 'expr', 'expr': clean_id('source."UPN"')},
        {'name': 'upn', 'raw': 'UPN', 'type': 'upn'},
        {'name': 'surname', 'raw': 'LegalSurname', 'type': 'name'},
        {'name': 'forename', 'raw': 'Forename', 'type': 'name'},
        {'name': 'date_of_birth', 'raw': 'DOB', 'type': 'date', 'layout': 'iso', 'not_future': true},
        {'name': 'sex', 'raw': 'Sex', 'type': 'code', 'values': ['M', 'F']},
        {'name': 'ethnicity_dfe_code', 'raw': 'Ethnicity', 'type': 'lookup', 'seed': 'ethnicity_dfe_codes', 'match': 'dfe_code', 'return': 'dfe_code'},
        {'name': 'ethnicity_ons18_code', 'raw': 'Ethnicity', 'type': 'lookup', 'seed': 'ethnicity_dfe_codes', 'match': 'dfe_code', 'return': 'ons18_code', 'check': false},
        {'name': 'sen_provision', 'raw': 'SENProvision', 'type': 'code', 'values': ['N', 'K', 'E']},
        {'name': 'fsm_eligible', 'raw': 'FSMEligible', 'type': 'boolean'},
        {'name': 'postcode', 'raw': 'Postcode', 'type': 'postcode'},
        {'name': 'school_urn', 'raw': 'URN', 'type': 'text'},
        {'name': 'census_term', 'raw': 'CensusTerm', 'type': 'expr', 'expr': school_term_label('source."CensusTerm"')},
        {'name': 'academic_year', 'raw': 'CensusTerm', 'type': 'expr', 'expr': academic_year('source."CensusTerm"')},
        {'name': 'term_start_date', 'raw': 'CensusTerm', 'type': 'date', 'layout': 'school_term', 'required': true},
        {'name': 'term_end_date', 'raw': 'CensusTerm', 'type': 'expr', 'close_date': true, 'expr': school_term_end('source."CensusTerm"')}
    ]
) }}
