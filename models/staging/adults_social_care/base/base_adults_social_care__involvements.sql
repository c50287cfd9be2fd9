{#- Every raw row of adults_social_care/involvements.csv, typed and judged:
    one row per adult social care service involvement. -#}
{{ check_extract('adults_social_care', 'involvements') }}

{{ stage_extract(
    'adults_social_care', 'involvements',
    key='InvolvementID',
    columns=[
        {'name': 'person_source_id', 'raw': 'PersonID', 'type': 'id'},
        {'name': 'nhs_number', 'raw': 'NHSNo', 'type': 'nhs_number'},
        {'name': 'title', 'raw': 'Title', 'type': 'code', 'values': ['Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Mx']},
        {'name': 'forename', 'raw': 'FullName', 'type': 'full_name', 'layout': 'surname_first', 'part': 'forename'},
        {'name': 'surname', 'raw': 'FullName', 'type': 'full_name', 'layout': 'surname_first', 'part': 'surname'},
        {'name': 'date_of_birth', 'raw': 'DateOfBirth', 'type': 'date', 'layout': 'dd_mon_yyyy', 'not_future': true},
        {'name': 'sex', 'raw': 'Gender', 'type': 'code', 'values': {'Male': 'M', 'Female': 'F'}, 'null_values': ['Other']},
        {'name': 'gender_recorded', 'raw': 'Gender', 'type': 'code', 'values': ['Male', 'Female', 'Other']},
        {'name': 'ethnicity_ons18_code', 'raw': 'Ethnicity', 'type': 'lookup', 'seed': 'ethnicity_ons18', 'match': 'ons18_label', 'return': 'ons18_code'},
        {'name': 'has_disability', 'raw': 'Disability', 'type': 'boolean'},
        {'name': 'address_line', 'raw': 'AddressLine1', 'type': 'address'},
        {'name': 'postcode', 'raw': 'Postcode', 'type': 'postcode'},
        {'name': 'service_type', 'raw': 'ServiceType', 'type': 'code', 'values': ['Home care', 'Residential care', 'Day opportunities', 'Direct payment', 'Reablement', 'Carer support']},
        {'name': 'start_date', 'raw': 'StartDate', 'type': 'date', 'layout': 'dd_mon_yyyy', 'required': true},
        {'name': 'end_date', 'raw': 'EndDate', 'type': 'date', 'layout': 'dd_mon_yyyy', 'close_date': true}
    ]
) }}
