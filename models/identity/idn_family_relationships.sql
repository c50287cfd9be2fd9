{#-
    idn_family_relationships: one row per related pair of persons a service records, and
    the service that records it. For now: a child on free school meals and the benefit
    claimant the eligibility derives from (parent_claim_id), relationship 'parent_or_carer_of'
    (person_key is the claimant, related_person_key the child). Published: keys only.
-#}

with

school_meals as (
    select
        record_key,
        parent_claim_id
    from {{ ref('stg_revenues_benefits__free_school_meals') }}
    where parent_claim_id is not null
),

claims as (
    select
        record_id,
        record_key
    from {{ ref('stg_revenues_benefits__benefit_claims') }}
),

registry as (
    select
        record_key,
        person_key
    from {{ ref('idn_person_key_registry') }}
),

final as (
    select
        claimant.person_key,
        child.person_key as related_person_key,
        'parent_or_carer_of' as relationship,
        'revenues_benefits/free_school_meals' as recorded_by,
        count(*) as records
    from school_meals
    inner join claims on school_meals.parent_claim_id = claims.record_id
    inner join registry as claimant on claims.record_key = claimant.record_key
    inner join registry as child on school_meals.record_key = child.record_key
    where claimant.person_key <> child.person_key
    group by claimant.person_key, child.person_key
)

select * from final
