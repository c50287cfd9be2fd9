-- TRUE, UNSUPPRESSED counts (schema intermediate, access private): read only by
-- shared_household_needs_by_ward_quarter, which suppresses them. Never published.
--
-- One row per calendar quarter (quarter_start) of the needs window, need and ward (ward_code;
-- `unknown` when the household has none), with each quarter's and need's borough total as the
-- row whose ward_code is NULL. `households` counts the households of mart_household_needs that
-- had the need in the quarter:
--   homelessness_approach  a member approached as homeless in a month of the quarter;
--   early_help             a child's early help episode was open in a month of the quarter;
--   mash_contact           a MASH contact about a child in the quarter (mash_contacts_3m of
--                          the quarter's last month covers exactly its three months);
--   adult_social_care      a member's adult social care involvement was open in the quarter.
-- Only quarters wholly inside the needs window count. Temporary accommodation has a table of
-- its own (shared_temporary_accommodation_by_ward_quarter): no count is published twice.

{%- set first_index = marts_first_month_index() | int %}
{%- set last_index = marts_last_month_index() | int %}
{%- set first_quarter = ((first_index + 2) // 3) * 3 %}
{%- set last_quarter_end = ((last_index + 1) // 3) * 3 - 1 %}
{%- set partner_needs = [
    'homelessness_approach',
    'early_help',
    'mash_contact',
    'adult_social_care',
] %}

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

needs as (

    {%- for need in partner_needs %}
    select '{{ need }}' as need
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

in_window as (

    select
        household_key,
        coalesce(ward_code, 'unknown') as ward_code,
        cast({{ dbt.date_trunc('quarter', 'month') }} as date) as quarter_start,
        approached,
        early_help_open,
        adult_social_care_open,
        extract(month from month) in (3, 6, 9, 12) and mash_contacts_3m > 0 as mash_contact
    from household_months
    where {{ month_index('month') }} between {{ first_quarter }} and {{ last_quarter_end }}

),

household_needs as (

    select
        household_key,
        ward_code,
        quarter_start,
        'homelessness_approach' as need
    from in_window
    where approached
    union
    select
        household_key,
        ward_code,
        quarter_start,
        'early_help' as need
    from in_window
    where early_help_open
    union
    select
        household_key,
        ward_code,
        quarter_start,
        'mash_contact' as need
    from in_window
    where mash_contact
    union
    select
        household_key,
        ward_code,
        quarter_start,
        'adult_social_care' as need
    from in_window
    where adult_social_care_open

),

ward_spine as (

    select ward_code from wards
    union
    select ward_code from in_window

),

cells as (

    select
        quarters.quarter_start,
        needs.need,
        ward_spine.ward_code,
        count(distinct household_needs.household_key) as households
    from quarters
    cross join needs
    cross join ward_spine
    left join household_needs
        on
            quarters.quarter_start = household_needs.quarter_start
            and needs.need = household_needs.need
            and ward_spine.ward_code = household_needs.ward_code
    group by quarters.quarter_start, needs.need, ward_spine.ward_code

),

final as (

    select
        cast(quarter_start as date) as quarter_start,
        cast(need as varchar) as need,
        cast(ward_code as varchar) as ward_code,
        cast(sum(households) as bigint) as households
    from cells
    group by quarter_start, need, rollup(ward_code)

)

select * from final
