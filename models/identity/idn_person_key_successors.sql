{#-
    idn_person_key_successors: one row per retired person_key.

    A key is retired when no cluster took it while some of its records were still present:
    its person merged into another (reason 'merged'), or its records were shared out among
    several persons ('split_up'). successor_key is the key now held by most of its records,
    so BI history on a retired key can follow it (chains: follow successor_key again).
    Append-only; derived from the registry rows this build changed
    (insight_hub.identity.keys.successors_sql is the same query, used by the tests).
-#}
{{ config(
    materialized='incremental',
    unique_key='retired_key',
    incremental_strategy='delete+insert',
    full_refresh=false,
    on_schema_change='fail',
) }}

with

registry as (
    select * from {{ ref('idn_person_key_registry') }}
),

latest_build as (
    select max(last_build) as build_no from registry
),

held_keys as (
    select distinct person_key from registry
),

moved as (
    select
        registry.previous_person_key as retired_key,
        registry.person_key,
        max(registry.key_changed_at) as retired_at,
        count(*) as records
    from registry
    cross join latest_build
    where
        registry.key_changed_build = latest_build.build_no
        and registry.previous_person_key not in (select held_keys.person_key from held_keys)
    group by registry.previous_person_key, registry.person_key
),

ranked as (
    select
        *,
        row_number() over (
            partition by retired_key order by records desc, person_key asc
        ) as successor_rank,
        count(*) over (partition by retired_key) as persons
    from moved
),

final as (
    select
        retired_key,
        person_key as successor_key,
        retired_at,
        case when persons = 1 then 'merged' else 'split_up' end as reason
    from ranked
    where successor_rank = 1
)

select new_keys.* from final as new_keys
{% if is_incremental() %}
where new_keys.retired_key not in (select prior_rows.retired_key from {{ this }} as prior_rows)
{% endif %}
