{#- Staged revenues_benefits/council_tax_arrears:
    one row per council tax account per month with arrears. -#}
with

base as (
    select *
    from {{ ref('base_revenues_benefits__council_tax_arrears') }}
    where staging_status = 'staged'
),

parent_keys as (
    {#- one keyed hash per parent record, not one per fact row -#}
    select
        account_ref,
        {{ record_key('revenues_benefits', 'council_tax_accounts', 'account_ref') }}
            as parent_record_key
    from (select distinct account_ref from base) as parents
)

select
    base.record_id,
    {{ record_key('revenues_benefits', 'council_tax_arrears', 'base.record_id') }} as record_key,
    parent_keys.parent_record_key,
    base.account_ref,
    base.period_month,
    base.arrears_balance,
    base.recovery_stage
from base
left join parent_keys on base.account_ref = parent_keys.account_ref
