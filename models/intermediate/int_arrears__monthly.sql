-- One row per in-scope household with council tax or rent arrears per month of the needs
-- window: arrears at month end summed over the household's accounts and tenancies (0 in a
-- month without a row), the change over three months, and the run of consecutive months in
-- which they rose. Computed on a dense monthly series that starts the month before the
-- household's first arrears (looking back at most 60 months before the window).

{%- set first_index = marts_first_month_index() %}
{%- set last_index = marts_last_month_index() %}
{%- set history_index = marts_month_index_before_window(60) %}

with

records as (

    select * from {{ ref('int_records__keyed') }}
    -- the arrears' parents only: a small hash table for the two joins below
    where household_id is not null and source_file in ('council_tax_accounts', 'tenancies')

),

ct_arrears as (

    select * from {{ ref('stg_revenues_benefits__council_tax_arrears') }}

),

rent_arrears as (

    select * from {{ ref('stg_housing__rent_arrears') }}

),

months as (

    {{ month_spine(history_index, last_index) }}

),

balances as (

    select
        records.household_id,
        {{ month_index('ct_arrears.period_month') }} as month_index,
        ct_arrears.arrears_balance as ct_arrears,
        0 as rent_arrears
    from ct_arrears
    inner join records
        on ct_arrears.parent_record_key = records.record_key

    union all

    select
        records.household_id,
        {{ month_index('rent_arrears.period_month') }} as month_index,
        0 as ct_arrears,
        rent_arrears.arrears_balance as rent_arrears
    from rent_arrears
    inner join records
        on rent_arrears.parent_record_key = records.record_key

),

household_months as (

    select
        household_id,
        month_index,
        -- back to 64-bit decimals: the windows below run on them, not on 128-bit sums
        cast(sum(ct_arrears) as decimal(18, 2)) as ct_arrears,
        cast(sum(rent_arrears) as decimal(18, 2)) as rent_arrears
    from balances
    where month_index between {{ history_index }} and {{ last_index }}
    group by household_id, month_index

),

series_start as (

    select
        household_id,
        min(month_index) - 1 as from_index
    from household_months
    group by household_id

),

dense as (

    -- whether the balance rose on the month before comes from a join, not a window, so that
    -- one window pass (below) gives both the three-month change and the rising run
    select
        series_start.household_id,
        months.month_index,
        series_start.from_index,
        coalesce(this_month.ct_arrears, 0) as ct_arrears,
        coalesce(this_month.rent_arrears, 0) as rent_arrears,
        coalesce(this_month.ct_arrears, 0) > coalesce(month_before.ct_arrears, 0) as ct_rose,
        coalesce(this_month.rent_arrears, 0) > coalesce(month_before.rent_arrears, 0)
            as rent_rose
    from series_start
    inner join months
        on series_start.from_index <= months.month_index
    left join household_months as this_month
        on
            series_start.household_id = this_month.household_id
            and months.month_index = this_month.month_index
    left join household_months as month_before
        on
            series_start.household_id = month_before.household_id
            and months.month_index - 1 = month_before.month_index

),

runs as (

    -- the run ending this month = months since the last month that did not rise
    select
        household_id,
        month_index,
        ct_arrears,
        rent_arrears,
        ct_arrears - coalesce(
            lag(ct_arrears, 3) over (partition by household_id order by month_index), 0
        ) as ct_arrears_change_3m,
        rent_arrears - coalesce(
            lag(rent_arrears, 3) over (partition by household_id order by month_index), 0
        ) as rent_arrears_change_3m,
        month_index - coalesce(
            max(case when not ct_rose then month_index end) over (
                partition by household_id order by month_index
                rows between unbounded preceding and current row
            ),
            from_index - 1
        ) as ct_arrears_months_rising,
        month_index - coalesce(
            max(case when not rent_rose then month_index end) over (
                partition by household_id order by month_index
                rows between unbounded preceding and current row
            ),
            from_index - 1
        ) as rent_arrears_months_rising
    from dense

),

final as (

    select * from runs
    where month_index between {{ first_index }} and {{ last_index }}

)

select * from final
