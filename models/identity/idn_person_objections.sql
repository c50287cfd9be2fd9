{#-
    idn_person_objections: one row per objecting person_key and processing objected to.

    The right to object: an objection recorded against any one service record excludes the
    whole linked person. Each objection's cited record (stg_governance__objections resolves a
    cited record id or system person id to a record_key) is looked up in the key registry,
    which also remembers records no longer staged, and the person holding it now is flagged.

    When in doubt, the objection is honoured: a record Splink scored against the cited record
    inside the clerical-review band (decision 'review': probably, not surely, the same person)
    carries the objection to its person too. Linkage that leaves an objector's record apart
    would otherwise keep analysing the rest of them; the cost of the rule is that a few
    look-alikes are left out of predictive analytics, never the other way round.

    processing is as recorded: 'predictive_analytics' or 'all_analytics' (which covers
    predictive analytics too). Published: keys only.
-#}

with

objections as (
    select * from {{ ref('stg_governance__objections') }}
),

registry as (
    select
        record_key,
        person_key
    from {{ ref('idn_person_key_registry') }}
),

uncertain_pairs as (
    select
        record_key_l,
        record_key_r
    from {{ ref('idn_pairwise_predictions') }}
    where decision = 'review'
),

objected_records as (
    -- the cited record itself
    select
        cited_record_key as record_key,
        processing,
        received_date,
        'cited' as reach
    from objections
    union all
    -- and the records that may be the same person
    select
        case
            when uncertain_pairs.record_key_l = objections.cited_record_key
                then uncertain_pairs.record_key_r
            else uncertain_pairs.record_key_l
        end as record_key,
        objections.processing,
        objections.received_date,
        'review_band' as reach
    from objections
    inner join uncertain_pairs
        on
            objections.cited_record_key = uncertain_pairs.record_key_l
            or objections.cited_record_key = uncertain_pairs.record_key_r
),

final as (
    select
        registry.person_key,
        objected_records.processing,
        count(*) filter (where objected_records.reach = 'cited') as objections,
        min(objected_records.received_date) as first_received_date,
        {{ dbt.bool_or("objected_records.reach = 'cited'") }} as cited
    from objected_records
    inner join registry on objected_records.record_key = registry.record_key
    group by registry.person_key, objected_records.processing
)

select * from final
