-- TRUE, UNSUPPRESSED counts (schema intermediate, access private): read only by
-- shared_residents_by_ward_service, which suppresses them. Never published.
--
-- One row per ward (ward_code; `unknown` when the resident has none) and partner service
-- (service), with the margins as rows whose dimension is NULL (GROUP BY CUBE): each ward's
-- total over the services, each service's borough total and the borough total. A resident
-- counts in a cell when an involvement of that kind was open at any time in the twelve months
-- before the extract date; margins add up the cells, so a resident known to two services
-- counts once in each.

{%- set as_of = marts_as_of_date_sql() %}
{%- set since = dbt.dateadd('month', -12, as_of) %}
{%- set partner_services = [
    'homelessness_approach',
    'temporary_accommodation',
    'early_help',
    'mash_contact',
    'adult_social_care',
] %}

with

residents as (

    select * from {{ ref('dim_resident') }}

),

involvements as (

    -- only the five partner_reporting extracts (and the identity layer's keys)
    select * from {{ ref('int_service_episodes__partner_reporting') }}

),

wards as (

    select * from {{ ref('wards') }}

),

services as (

    {%- for service in partner_services %}
    select '{{ service }}' as service
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

involved as (

    select distinct
        involvements.person_key,
        involvements.involvement_type as service,
        coalesce(residents.ward_code, 'unknown') as ward_code
    from involvements
    inner join residents
        on involvements.person_key = residents.person_key
    inner join services
        on involvements.involvement_type = services.service
    where
        coalesce(involvements.start_date, {{ since }}) < {{ as_of }}
        and coalesce(involvements.end_date, {{ as_of }}) >= {{ since }}

),

ward_spine as (

    select ward_code from wards
    union
    select ward_code from involved

),

cells as (

    select
        ward_spine.ward_code,
        services.service,
        count(involved.person_key) as residents
    from ward_spine
    cross join services
    left join involved
        on
            ward_spine.ward_code = involved.ward_code
            and services.service = involved.service
    group by ward_spine.ward_code, services.service

),

final as (

    select
        cast(ward_code as varchar) as ward_code,
        cast(service as varchar) as service,
        cast(sum(residents) as bigint) as residents
    from cells
    group by cube(ward_code, service)

)

select * from final
