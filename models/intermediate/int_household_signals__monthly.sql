-- One row per in-scope household per month of the needs window with any needs signal.
-- Open spells count in every month they overlap; dated events count in the month they fall
-- in and in the months of the rolling window that follows (3, 6, 12 months, the month itself
-- included). An event never reaches a month that ends before it: no future leakage.
-- Signals travel as small integer codes; each household-month's are aggregated once into a bit
-- mask and packed counts (macros/marts/marts_signals.sql), then read back into columns.
-- When a single person discount began (a fact of the council tax accounts the episodes do not
-- carry) is read from the staged accounts by record_key. Whether an account is open, and
-- whether it records a private tenancy, hold in nearly every household-month: they are runs of
-- months (int_council_tax_spells__merged) that mart_household_needs joins, not signals here.

{%- set first_index = marts_first_month_index() %}
{%- set last_index = marts_last_month_index() %}
{#- spells: involvement_type -> code -#}
{%- set spells = {
    'council_tenancy': 1,
    'temporary_accommodation': 2,
    'benefit_claim': 3,
    'debt': 4,
    'housing_register_application': 5,
    'early_help': 6,
    'child_in_need': 7,
    'adult_social_care': 8,
} %}
{%- set low_attendance = 9 %}
{#- dated events: signal -> (code, months its rolling window covers, the month included) -#}
{%- set events = {
    'homelessness_approach': (10, 13),
    'mash_contact': (11, 3),
    'money_hub_contact': (12, 3),
    'youth_justice_outcome': (13, 12),
    'tenancy_notice_served': (14, 6),
    'benefit_reduced': (15, 3),
    'school_suspension': (16, 12),
    'permanent_exclusion': (17, 12),
    'nosp_served': (19, 6),
    'ntq_served': (20, 6),
    'possession_order': (21, 12),
    'eviction_warrant': (22, 3),
    'hub_landlord_notice': (23, 3),
    'hub_relationship_breakdown': (24, 3),
    'single_person_discount': (25, 6),
} %}
{#- a notice's kind (the notices extract's notice_type) -> its own signal -#}
{%- set notice_kinds = {
    'NOSP': 'nosp_served',
    'NTQ': 'ntq_served',
    'Possession Order': 'possession_order',
    'Eviction Warrant': 'eviction_warrant',
} %}
{#- Homes and Money Hub topics that name a housing or household change -> their signal -#}
{%- set hub_topics = {
    'Landlord notice': 'hub_landlord_notice',
    'Relationship breakdown': 'hub_relationship_breakdown',
} %}
{%- set prior_approach = 18 %}
{#- the published columns: flags (column -> code in the mask) and tallies (column -> codes
    whose rows it counts) -#}
{%- set flags = {
    'council_tenancy_open': spells.council_tenancy,
    'in_temporary_accommodation': spells.temporary_accommodation,
    'on_benefits': spells.benefit_claim,
    'benefit_reduced_3m': events.benefit_reduced[0],
    'notice_6m': events.tenancy_notice_served[0],
    'nosp_6m': events.nosp_served[0],
    'ntq_6m': events.ntq_served[0],
    'possession_order_12m': events.possession_order[0],
    'eviction_warrant_3m': events.eviction_warrant[0],
    'money_hub_landlord_notice_3m': events.hub_landlord_notice[0],
    'money_hub_relationship_breakdown_3m': events.hub_relationship_breakdown[0],
    'single_person_discount_6m': events.single_person_discount[0],
    'on_housing_register': spells.housing_register_application,
    'early_help_open': spells.early_help,
    'cin_open': spells.child_in_need,
    'youth_offending_12m': events.youth_justice_outcome[0],
    'adult_social_care_open': spells.adult_social_care,
    'prior_approach_12m': prior_approach,
    'approached': events.homelessness_approach[0],
} %}
{%- set tallies = {
    'open_debts': [spells.debt],
    'money_hub_contacts_3m': [events.money_hub_contact[0]],
    'mash_contacts_3m': [events.mash_contact[0]],
    'pupils_low_attendance': [low_attendance],
    'exclusions_12m': [events.school_suspension[0], events.permanent_exclusion[0]],
} %}
{%- set episode_events = [
    'homelessness_approach', 'mash_contact', 'money_hub_contact', 'youth_justice_outcome',
] %}

with

episodes as (

    select * from {{ ref('int_service_episodes__unioned') }}
    where household_id is not null

),

service_events as (

    select * from {{ ref('int_service_events__unioned') }}
    where household_id is not null

),

attendance as (

    select * from {{ ref('int_attendance__termly') }}
    where household_id is not null

),

ct_accounts as (

    select * from {{ ref('stg_revenues_benefits__council_tax_accounts') }}

),

-- a single person discount put on an account after it opened: the household fell to one
-- adult (a separation, a bereavement, a grown-up child leaving). One that came with a new
-- account is a move, not a change, and is left out.
discount_awards as (

    select
        episodes.household_id,
        ct_accounts.single_person_discount_start as award_date
    from episodes
    inner join ct_accounts
        on episodes.record_key = ct_accounts.record_key
    where
        episodes.involvement_type = 'council_tax_account'
        and ct_accounts.single_person_discount
        and ct_accounts.single_person_discount_start > ct_accounts.account_start_date

),

months as (

    {{ month_spine(first_index, last_index) }}

),

offsets as (

    select cast(generated_number - 1 as integer) as offset_months
    from ({{ dbt.generate_series(13) }}) as series

),

spell_ranges as (

    -- open in a month = overlaps it; a debt is open at month end until the month it is cleared
    select
        household_id,
        {{ signals_code_of('involvement_type', spells) }} as signal_code,
        {{ month_index('start_date') }} as from_index,
        case
            when end_date is null then {{ last_index }}
            when involvement_type = 'debt' then {{ month_index('end_date') }} - 1
            else {{ month_index('end_date') }}
        end as to_index
    from episodes
    where
        involvement_type in (
            {%- for name in spells %}
            '{{ name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
        and start_date is not null

    union all

    -- a pupil counts from the month their low-attendance term ends until the month before
    -- their next term with returns ends, for at most twelve months: never twice in a month
    select
        household_id,
        {{ low_attendance }} as signal_code,
        completed_month_index as from_index,
        least(
            coalesce(next_completed_month_index - 1, completed_month_index + 11),
            completed_month_index + 11
        ) as to_index
    from attendance
    where low_attendance

),

spell_months as (

    select
        spell_ranges.household_id,
        months.month_index,
        spell_ranges.signal_code
    from spell_ranges
    inner join months
        on
            spell_ranges.from_index <= months.month_index
            and spell_ranges.to_index >= months.month_index

),

dated_events as (

    select
        household_id,
        involvement_type as signal_name,
        {{ month_index('start_date') }} as event_index
    from episodes
    where
        involvement_type in (
            {%- for name in episode_events %}
            '{{ name }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
        and start_date is not null

    union all

    select
        household_id,
        case
            when event_type = 'benefit_change' then 'benefit_reduced'
            else event_type
        end as signal_name,
        {{ month_index('event_date') }} as event_index
    from service_events
    where
        event_type in ('tenancy_notice_served', 'school_suspension', 'permanent_exclusion')
        or (event_type = 'benefit_change' and detail in ('award reduced', 'suspended'))

    union all

    -- each notice once more as its kind: they weigh differently (a warrant is days from
    -- eviction, a NOSP the first step)
    select
        household_id,
        case detail
            {%- for kind, name in notice_kinds.items() %}
            when '{{ kind }}' then '{{ name }}'
            {%- endfor %}
        end as signal_name,
        {{ month_index('event_date') }} as event_index
    from service_events
    where event_type = 'tenancy_notice_served'

    union all

    -- a Hub contact whose topic names a landlord's notice or a relationship breakdown
    select
        household_id,
        case involvement_detail
            {%- for topic, name in hub_topics.items() %}
            when '{{ topic }}' then '{{ name }}'
            {%- endfor %}
        end as signal_name,
        {{ month_index('start_date') }} as event_index
    from episodes
    where
        involvement_type = 'money_hub_contact'
        and start_date is not null
        and involvement_detail in (
            {%- for topic in hub_topics %}
            '{{ topic }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )

    union all

    select
        household_id,
        'single_person_discount' as signal_name,
        {{ month_index('award_date') }} as event_index
    from discount_awards

),

coded_events as (

    select
        household_id,
        event_index,
        {{ signals_code_of('signal_name', events, pick_first=true) }} as signal_code,
        case signal_name
            {%- for name, value in events.items() %}
            when '{{ name }}' then {{ value[1] }}
            {%- endfor %}
        end as window_months
    from dated_events

),

-- an approach counts as approached in its own month and as a prior approach in the twelve
-- months after it: two codes, so that the mask tells them apart
event_months as (

    select
        coded_events.household_id,
        coded_events.event_index + offsets.offset_months as month_index,
        case
            when
                coded_events.signal_code = {{ events.homelessness_approach[0] }}
                and offsets.offset_months >= 1
                then {{ prior_approach }}
            else coded_events.signal_code
        end as signal_code
    from coded_events
    inner join offsets
        on coded_events.window_months > offsets.offset_months
    where
        coded_events.event_index + offsets.offset_months >= {{ first_index }}
        and coded_events.event_index + offsets.offset_months <= {{ last_index }}

),

combined as (

    select * from spell_months
    union all
    select * from event_months

),

aggregated as (

    select
        household_id,
        month_index,
        {{ signals_mask('signal_code') }} as signal_mask,
        {{ signals_tallies('signal_code', tallies.values() | list) }}
    from combined
    group by household_id, month_index

),

final as (

    select
        household_id,
        month_index,
        {%- for column, code in flags.items() %}
        {{ signals_has('signal_mask', code) }} as {{ column }},
        {%- endfor %}
        {%- for column in tallies %}
        {{ signals_tally_of(loop.index0) }} as {{ column }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from aggregated

)

select * from final
