-- One row per in-scope household per month of the needs window (the rows of
-- int_household_months__spined): its composition in that month. A member counts from the
-- month of their birth (members with no known date of birth count as adults throughout);
-- children are under 18 and over-65s 65 or over in that month. Members are the household's at
-- the extract date: the identity layer places people at the extract date, so someone who left
-- earlier is not counted in the months they lived there. Month by month, so that a birth shows
-- from its month on and never reaches earlier months. It carries the spine's rows and month,
-- so the needs mart starts from it (the spine itself is a view, never written).

with

spine as (

    select * from {{ ref('int_household_months__spined') }}

),

residents as (

    select * from {{ ref('int_residents__profiled') }}
    where household_id is not null

),

final as (

    select
        spine.household_id,
        spine.month_index,
        spine.month,
        count(residents.household_id) as household_size,
        count(
            case when spine.month_index - residents.birth_month_index < 18 * 12 then 1 end
        ) as children,
        count(
            case when spine.month_index - residents.birth_month_index >= 65 * 12 then 1 end
        ) as over_65s
    from spine
    left join residents
        on
            spine.household_id = residents.household_id
            and (
                residents.birth_month_index is null
                or spine.month_index >= residents.birth_month_index
            )
    group by spine.household_id, spine.month_index, spine.month

)

select * from final
