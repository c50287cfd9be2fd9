-- One row per in-scope household per month of the needs window, from the month the household
-- is first seen (its members' earliest dated record) to the last month of the window. A
-- row's existence depends only on records dated on or before the end of its month. A view:
-- households by months is cheap to compute where it is read (int_household_composition__monthly)
-- and costly to write (7 M rows at 400,000 residents).

{{ config(materialized='view') }}

{%- set first_index = marts_first_month_index() %}
{%- set last_index = marts_last_month_index() %}

with

households as (

    select * from {{ ref('int_households__profiled') }}

),

months as (

    {{ month_spine(first_index, last_index) }}

),

final as (

    select
        households.household_id,
        months.month_index,
        months.month
    from households
    inner join months
        on months.month_index >= coalesce(households.first_seen_month_index, {{ first_index }})

)

select * from final
