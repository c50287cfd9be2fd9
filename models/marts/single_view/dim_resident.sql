-- One row per resident (person_key): the single view of a person, without identifiers.
--
-- Quasi-identifiers age_band x sex x ward_code are k-anonymous: every combination is shared
-- by at least k residents (var min_group_size, default 5: the gate's min_group_size in
-- expectations/gate.yml, whose suite checks it). Statistical disclosure control as sdcMicro
-- does it, local recoding then local suppression, applied only to the residents of the groups
-- still smaller than k after the previous step (a whole group moves at once, so a group that
-- passed a step only grows afterwards):
--   1. the age band is generalised to a coarse band (0-17, 18-34, 35-64, 65+);
--   2. the ward and its LSOA are withheld (NULL, as for a resident with no known address;
--      the LSOA would give the ward away);
--   3. the age band is withheld;
--   4. sex is withheld (a last resort: only where 3 left a group smaller than k).
-- Should fewer than k residents need step 4 (a toy borough), the gate refuses the mart.

{%- set k = var('min_group_size', 5) | int %}
{%- set coarse_bands = {
    '0-4': '0-17', '5-10': '0-17', '11-15': '0-17', '16-17': '0-17',
    '18-24': '18-34', '25-34': '18-34',
    '35-49': '35-64', '50-64': '35-64',
    '65-74': '65+', '75+': '65+',
} %}

with

residents as (

    select * from {{ ref('int_residents__profiled') }}

),

fine as (

    select
        *,
        count(*) over (partition by age_band, sex, ward_code) as fine_group
    from residents

),

generalised as (

    select
        *,
        case
            when fine_group >= {{ k }} then age_band
            {%- for band, coarse in coarse_bands.items() %}
            when age_band = '{{ band }}' then '{{ coarse }}'
            {%- endfor %}
        end as band_1
    from fine

),

generalised_groups as (

    select
        *,
        count(*) over (partition by band_1, sex, ward_code) as group_1
    from generalised

),

ward_withheld as (

    select
        *,
        case when group_1 >= {{ k }} then ward_code end as ward_2,
        case when group_1 >= {{ k }} then lsoa_code end as lsoa_2
    from generalised_groups

),

ward_withheld_groups as (

    select
        *,
        count(*) over (partition by band_1, sex, ward_2) as group_2
    from ward_withheld

),

band_withheld as (

    select
        *,
        case when group_2 >= {{ k }} then band_1 end as band_3
    from ward_withheld_groups

),

band_withheld_groups as (

    select
        *,
        count(*) over (partition by band_3, sex, ward_2) as group_3
    from band_withheld

),

protected as (

    select
        *,
        case when group_3 >= {{ k }} then sex end as sex_4
    from band_withheld_groups

),

final as (

    select
        cast(person_key as varchar) as person_key,
        cast(household_key as varchar) as household_key,
        cast(band_3 as varchar) as age_band,
        cast(sex_4 as varchar) as sex,
        cast(ward_2 as varchar) as ward_code,
        cast(lsoa_2 as varchar) as lsoa_code,
        {%- for service in single_view_services() %}
        cast(known_to_{{ service }} as boolean) as known_to_{{ service }},
        {%- endfor %}
        cast(services_known as integer) as services_known,
        cast(first_seen as date) as first_seen,
        cast(last_seen as date) as last_seen,
        cast(open_involvements as integer) as open_involvements,
        cast(objects_predictive_analytics as boolean) as predictive_objection
    from protected

)

select * from final
