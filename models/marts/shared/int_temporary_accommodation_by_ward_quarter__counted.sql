-- TRUE, UNSUPPRESSED counts (schema intermediate, access private): read only by
-- shared_temporary_accommodation_by_ward_quarter, which suppresses them. Never published.
--
-- One row per calendar quarter (quarter_start) of the needs window and ward (ward_code;
-- `unknown` when the household has none), with each quarter's borough total as the row whose
-- ward_code is NULL. `households` counts the households of mart_household_needs with a
-- temporary accommodation placement open in at least one month of the quarter (the stock in
-- the quarter, not placements started). Only quarters wholly inside the needs window count.

{%- set first_index = marts_first_month_index() | int %}
{%- set last_index = marts_last_month_index() | int %}
{%- set first_quarter = ((first_index + 2) // 3) * 3 %}
{%- set last_quarter_end = ((last_index + 1) // 3) * 3 - 1 %}

with

household_months as (

    select * from {{ ref('mart_household_needs') }}

),

wards as (

    select * from {{ ref('wards') }}

),

quarters as (

    select months.month as quarter_start
    from ({{ month_spine(first_quarter, last_quarter_end) }}) as months
    where months.month_index % 3 = 0

),

in_window as (

    select
        household_key,
        in_temporary_accommodation,
        coalesce(ward_code, 'unknown') as ward_code,
        cast({{ dbt.date_trunc('quarter', 'month') }} as date) as quarter_start
    from household_months
    where {{ month_index('month') }} between {{ first_quarter }} and {{ last_quarter_end }}

),

placed as (

    select distinct
        household_key,
        ward_code,
        quarter_start
    from in_window
    where in_temporary_accommodation

),

ward_spine as (

    select ward_code from wards
    union
    select ward_code from in_window

),

cells as (

    select
        quarters.quarter_start,
        ward_spine.ward_code,
        count(placed.household_key) as households
    from quarters
    cross join ward_spine
    left join placed
        on
            quarters.quarter_start = placed.quarter_start
            and ward_spine.ward_code = placed.ward_code
    group by quarters.quarter_start, ward_spine.ward_code

),

final as (

    select
        cast(quarter_start as date) as quarter_start,
        cast(ward_code as varchar) as ward_code,
        cast(sum(households) as bigint) as households
    from cells
    group by quarter_start, rollup(ward_code)

)

select * from final
