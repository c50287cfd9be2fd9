-- One row per ward (ward_code) per month of the needs window in which at least one temporary
-- accommodation placement started: the series the TA demand forecast reads (months without a
-- placement in a ward have no row; the forecast fills them with zero).

with

placed as (

    select * from {{ ref('int_temporary_accommodation__placed') }}

),

households as (

    select * from {{ ref('dim_household') }}

),

placements as (

    select
        coalesce(households.ward_code, 'unknown') as ward_code,
        {{ dbt.date_trunc('month', 'placed.start_date') }} as month  -- noqa: RF04
    from placed
    left join households
        on placed.household_key = households.household_key
    where
        placed.start_date >= {{ marts_first_month_sql() }}
        and placed.start_date < {{ marts_as_of_date_sql() }}
        -- households with a member who objected to predictive analytics stay out of the series
        and not placed.predictive_objection

),

final as (

    select
        cast(ward_code as varchar) as ward_code,
        cast(month as date) as month,  -- noqa: RF04
        cast(count(*) as integer) as placements
    from placements
    group by ward_code, month

)

select * from final
