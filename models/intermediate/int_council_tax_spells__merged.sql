-- One row per in-scope household per unbroken run of months in which a member's council tax
-- account is open (spell_kind 'account'), or one whose liable party rents privately is open
-- (spell_kind 'private_tenancy', the account's occupier type). Overlapping and back-to-back
-- accounts (a move within the borough) merge into one run, so a household-month falls in at
-- most one run of each kind: mart_household_needs joins them on the month's range instead of
-- expanding nearly every household-month into the sparse signals model.

{%- set last_index = marts_last_month_index() %}

with

episodes as (

    select * from {{ ref('int_service_episodes__unioned') }}
    where
        household_id is not null
        and involvement_type = 'council_tax_account'
        and start_date is not null

),

ct_accounts as (

    select * from {{ ref('stg_revenues_benefits__council_tax_accounts') }}

),

-- open in a month = overlaps it (as the signals model's spells)
account_ranges as (

    select
        episodes.household_id,
        ct_accounts.occupier_type,
        {{ month_index('episodes.start_date') }} as from_index,
        coalesce({{ month_index('episodes.end_date') }}, {{ last_index }}) as to_index
    from episodes
    inner join ct_accounts
        on episodes.record_key = ct_accounts.record_key

),

ranges as (

    select
        household_id,
        'account' as spell_kind,
        from_index,
        to_index
    from account_ranges

    union all

    select
        household_id,
        'private_tenancy' as spell_kind,
        from_index,
        to_index
    from account_ranges
    where occupier_type = 'Private tenant'

),

-- gaps and islands: a range starts a new run when it begins after every earlier range of the
-- household (and kind) has ended, with at least one month between
reaches as (

    select
        household_id,
        spell_kind,
        from_index,
        to_index,
        max(to_index) over (
            partition by household_id, spell_kind
            order by from_index, to_index
            rows between unbounded preceding and 1 preceding
        ) as reach_before
    from ranges

),

numbered as (

    select
        household_id,
        spell_kind,
        from_index,
        to_index,
        sum(case when reach_before is null or from_index > reach_before + 1 then 1 else 0 end)
            over (
                partition by household_id, spell_kind
                order by from_index, to_index
                rows between unbounded preceding and current row
            ) as spell_number
    from reaches

),

final as (

    select
        household_id,
        spell_kind,
        spell_number,
        min(from_index) as from_index,
        max(to_index) as to_index
    from numbered
    group by household_id, spell_kind, spell_number

)

select * from final
