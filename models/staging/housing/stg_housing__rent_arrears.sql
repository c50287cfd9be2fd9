{#- Staged housing/rent_arrears:
    one row per tenancy per month with rent arrears. -#}
with

base as (
    select *
    from {{ ref('base_housing__rent_arrears') }}
    where staging_status = 'staged'
),

parent_keys as (
    {#- one keyed hash per parent record, not one per fact row -#}
    select
        tenancy_ref,
        {{ record_key('housing', 'tenancies', 'tenancy_ref') }}
            as parent_record_key
    from (select distinct tenancy_ref from base) as parents
)

select
    base.record_id,
    {{ record_key('housing', 'rent_arrears', 'base.record_id') }} as record_key,
    parent_keys.parent_record_key,
    base.tenancy_ref,
    base.period_month,
    base.arrears_balance
from base
left join parent_keys on base.tenancy_ref = parent_keys.tenancy_ref
