{#- Every raw row of housing/temporary_accommodation.csv, typed and judged:
    one row per temporary accommodation placement. -#}
{{ check_extract('housing', 'temporary_accommodation') }}

{{ stage_extract(
    'housing', 'temporary_accommodation',
    key='PlacementRef',
    columns=[
        {'name': 'forename', 'raw': 'HeadOfHousehold', 'type': 'full_name', 'layout': 'forenames_SURNAME', 'part': 'forename'},
        {'name': 'surname', 'raw': 'HeadOfHousehold', 'type': 'full_name', 'layout': 'forenames_SURNAME', 'part': 'surname'},
        {'name': 'date_of_birth', 'raw': 'HoHDOB', 'type': 'date', 'layout': 'iso_time', 'not_future': true},
        {'name': 'household_size', 'raw': 'HouseholdSize', 'type': 'integer', 'min': 1},
        {'name': 'children_count', 'raw': 'ChildrenCount', 'type': 'integer', 'min': 0},
        {'name': 'placement_start', 'raw': 'PlacementStart', 'type': 'date', 'layout': 'iso_time', 'required': true},
        {'name': 'placement_end', 'raw': 'PlacementEnd', 'type': 'date', 'layout': 'iso_time', 'close_date': true},
        {'name': 'accommodation_type', 'raw': 'AccommodationType', 'type': 'code', 'values': ['B&B', 'Hostel', 'Nightly let', 'PSL', 'Council stock']},
        {'name': 'postcode', 'raw': 'PreviousPostcode', 'type': 'postcode'}
    ]
) }}
