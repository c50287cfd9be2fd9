{#-
    idn_person_objections: one row per objecting person_key and processing objected to.

    The right to object: an objection recorded against any one service record excludes the
    whole linked person. Each objection's cited record (stg_governance__objections resolves a
    cited record id or system person id to a record_key) is looked up in the key registry,
    which also remembers records no longer staged, and the person holding it now is flagged.
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

final as (
    select
        registry.person_key,
        objections.processing,
        count(*) as objections,
        min(objections.received_date) as first_received_date
    from objections
    inner join registry on objections.cited_record_key = registry.record_key
    group by registry.person_key, objections.processing
)

select * from final
