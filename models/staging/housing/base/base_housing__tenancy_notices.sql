{#- Every raw row of housing/tenancy_notices.csv, typed and judged:
    one row per notice served on a tenancy. -#}
{{ check_extract('housing', 'tenancy_notices') }}

{{ stage_extract(
    'housing', 'tenancy_notices',
    key='NoticeID',
    columns=[
        {'name': 'tenancy_ref', 'raw': 'TenancyRef', 'type': 'id', 'required': true},
        {'name': 'notice_type', 'raw': 'NoticeType', 'type': 'code', 'values': ['NOSP', 'NTQ', 'Possession Order', 'Eviction Warrant'], 'required': true},
        {'name': 'served_date', 'raw': 'ServedDate', 'type': 'date', 'layout': 'iso_time', 'required': true, 'close_date': true}
    ]
) }}
