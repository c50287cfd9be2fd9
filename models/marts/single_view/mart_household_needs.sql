-- One row per household (household_key) per month of the needs window: the needs profile.
-- The contract is docs/marts.md; every rolling feature is computed in
-- int_household_signals__monthly and int_arrears__monthly from events dated on or before the
-- month's last day; whether a council tax account (a privately rented one) is open comes from
-- the runs of months in int_council_tax_spells__merged. Joins run on the build-local integer
-- household_id; household_key is attached once, from int_households__profiled.

with

households as (

    select * from {{ ref('int_households__profiled') }}

),

arrears as (

    select * from {{ ref('int_arrears__monthly') }}

),

signals as (

    select * from {{ ref('int_household_signals__monthly') }}

),

-- one row per household-month of the needs window (the spine's rows) with its composition
composition as (

    select * from {{ ref('int_household_composition__monthly') }}

),

council_tax_spells as (

    select * from {{ ref('int_council_tax_spells__merged') }}

),

joined as (

    select
        households.household_key,
        composition.month,
        households.ward_code,
        households.lsoa_code,
        composition.household_size,
        composition.children,
        composition.over_65s,
        households.predictive_objection,
        case
            when coalesce(signals.in_temporary_accommodation, false) then 'temporary'
            when coalesce(signals.council_tenancy_open, false) then 'council'
            else 'other'
        end as tenure,
        coalesce(arrears.ct_arrears, 0) as ct_arrears,
        coalesce(arrears.ct_arrears_change_3m, 0) as ct_arrears_change_3m,
        coalesce(arrears.ct_arrears_months_rising, 0) as ct_arrears_months_rising,
        coalesce(arrears.rent_arrears, 0) as rent_arrears,
        coalesce(arrears.rent_arrears_change_3m, 0) as rent_arrears_change_3m,
        coalesce(arrears.rent_arrears_months_rising, 0) as rent_arrears_months_rising,
        coalesce(signals.on_benefits, false) as on_benefits,
        coalesce(signals.benefit_reduced_3m, false) as benefit_reduced_3m,
        coalesce(signals.open_debts, 0) as open_debts,
        coalesce(signals.notice_6m, false) as notice_6m,
        coalesce(signals.nosp_6m, false) as nosp_6m,
        coalesce(signals.ntq_6m, false) as ntq_6m,
        coalesce(signals.possession_order_12m, false) as possession_order_12m,
        coalesce(signals.eviction_warrant_3m, false) as eviction_warrant_3m,
        coalesce(signals.single_person_discount_6m, false) as single_person_discount_6m,
        coalesce(signals.in_temporary_accommodation, false) as in_temporary_accommodation,
        coalesce(signals.money_hub_contacts_3m, 0) as money_hub_contacts_3m,
        coalesce(signals.money_hub_landlord_notice_3m, false) as money_hub_landlord_notice_3m,
        coalesce(signals.money_hub_relationship_breakdown_3m, false)
            as money_hub_relationship_breakdown_3m,
        coalesce(signals.on_housing_register, false) as on_housing_register,
        private_spells.household_id is not null as private_tenant,
        account_spells.household_id is not null as council_tax_account_open,
        coalesce(signals.early_help_open, false) as early_help_open,
        coalesce(signals.cin_open, false) as cin_open,
        coalesce(signals.mash_contacts_3m, 0) as mash_contacts_3m,
        coalesce(signals.youth_offending_12m, false) as youth_offending_12m,
        coalesce(signals.adult_social_care_open, false) as adult_social_care_open,
        coalesce(signals.pupils_low_attendance, 0) as pupils_low_attendance,
        coalesce(signals.exclusions_12m, 0) as exclusions_12m,
        coalesce(signals.prior_approach_12m, false) as prior_approach_12m,
        coalesce(signals.approached, false) as approached,
        composition.household_size - composition.children as adults
    from composition
    inner join households
        on composition.household_id = households.household_id
    left join arrears
        on
            composition.household_id = arrears.household_id
            and composition.month_index = arrears.month_index
    left join signals
        on
            composition.household_id = signals.household_id
            and composition.month_index = signals.month_index
    -- runs of months never overlap within a kind: at most one match each
    left join council_tax_spells as account_spells
        on
            composition.household_id = account_spells.household_id
            and account_spells.spell_kind = 'account'
            and composition.month_index
            between account_spells.from_index and account_spells.to_index
    left join council_tax_spells as private_spells
        on
            composition.household_id = private_spells.household_id
            and private_spells.spell_kind = 'private_tenancy'
            and composition.month_index
            between private_spells.from_index and private_spells.to_index

),

final as (

    select
        cast(household_key as varchar) as household_key,
        -- "month" is the contract's column name (docs/marts.md)
        cast(month as date) as month,  -- noqa: RF04
        cast(ward_code as varchar) as ward_code,
        cast(lsoa_code as varchar) as lsoa_code,
        cast(household_size as integer) as household_size,
        cast(adults as integer) as adults,
        cast(children as integer) as children,
        cast(over_65s as integer) as over_65s,
        cast(tenure as varchar) as tenure,
        cast(ct_arrears as double) as ct_arrears,
        cast(ct_arrears_change_3m as double) as ct_arrears_change_3m,
        cast(ct_arrears_months_rising as integer) as ct_arrears_months_rising,
        cast(rent_arrears as double) as rent_arrears,
        cast(rent_arrears_change_3m as double) as rent_arrears_change_3m,
        cast(rent_arrears_months_rising as integer) as rent_arrears_months_rising,
        cast(on_benefits as boolean) as on_benefits,
        cast(benefit_reduced_3m as boolean) as benefit_reduced_3m,
        cast(open_debts as integer) as open_debts,
        cast(notice_6m as boolean) as notice_6m,
        cast(nosp_6m as boolean) as nosp_6m,
        cast(ntq_6m as boolean) as ntq_6m,
        cast(possession_order_12m as boolean) as possession_order_12m,
        cast(eviction_warrant_3m as boolean) as eviction_warrant_3m,
        cast(single_person_discount_6m as boolean) as single_person_discount_6m,
        cast(in_temporary_accommodation as boolean) as in_temporary_accommodation,
        cast(money_hub_contacts_3m as integer) as money_hub_contacts_3m,
        cast(money_hub_landlord_notice_3m as boolean) as money_hub_landlord_notice_3m,
        cast(money_hub_relationship_breakdown_3m as boolean)
            as money_hub_relationship_breakdown_3m,
        cast(on_housing_register as boolean) as on_housing_register,
        cast(private_tenant as boolean) as private_tenant,
        cast(council_tax_account_open as boolean) as council_tax_account_open,
        cast(early_help_open as boolean) as early_help_open,
        cast(cin_open as boolean) as cin_open,
        cast(mash_contacts_3m as integer) as mash_contacts_3m,
        cast(youth_offending_12m as boolean) as youth_offending_12m,
        cast(adult_social_care_open as boolean) as adult_social_care_open,
        cast(pupils_low_attendance as integer) as pupils_low_attendance,
        cast(exclusions_12m as integer) as exclusions_12m,
        cast(prior_approach_12m as boolean) as prior_approach_12m,
        cast(approached as boolean) as approached,
        cast(predictive_objection as boolean) as predictive_objection
    from joined

)

select * from final
