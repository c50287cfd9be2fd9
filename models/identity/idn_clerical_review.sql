{#-
    idn_clerical_review: one row per pair of records in the clerical-review band
    (review_lower <= match probability < match threshold, docs/identity.md).

    Beside each pair: both records' match fields, each comparison's level (gamma_*) and
    Bayes factor (bf_*, bf_tf_adj_*), and whether the two records ended up in the same
    person anyway (through other links). A reviewer sees why two records were, or were not,
    linked. Restricted: identity schema only.
-#}

with

review_pairs as (
    select * from {{ ref('idn_pairwise_predictions') }}
    where decision = 'review'
),

records as (
    select * from {{ ref('idn_match_records') }}
),

registry as (
    select
        record_key,
        person_key
    from {{ ref('idn_person_key_registry') }}
),

final as (
    -- the reviewer reads ids and names first, then the comparisons
    select  -- noqa: ST06
        pairs.record_key_l,
        pairs.record_key_r,
        pairs.match_probability,
        pairs.match_weight,
        key_l.person_key = key_r.person_key as linked_through_others,
        key_l.person_key as person_key_l,
        key_r.person_key as person_key_r,
        rec_l.service as service_l,
        rec_r.service as service_r,
        rec_l.source_file as source_file_l,
        rec_r.source_file as source_file_r,
        rec_l.record_id as record_id_l,
        rec_r.record_id as record_id_r,
        rec_l.forename as forename_l,
        rec_r.forename as forename_r,
        rec_l.surname as surname_l,
        rec_r.surname as surname_r,
        rec_l.date_of_birth as date_of_birth_l,
        rec_r.date_of_birth as date_of_birth_r,
        rec_l.sex as sex_l,
        rec_r.sex as sex_r,
        rec_l.postcode as postcode_l,
        rec_r.postcode as postcode_r,
        rec_l.address_line as address_line_l,
        rec_r.address_line as address_line_r,
        rec_l.nhs_number as nhs_number_l,
        rec_r.nhs_number as nhs_number_r,
        rec_l.ni_number as ni_number_l,
        rec_r.ni_number as ni_number_r,
        rec_l.upn as upn_l,
        rec_r.upn as upn_r,
        -- match_key, then gamma_* / mw_* / mw_tf_adj_* of every comparison in the model
        pairs.* exclude (
            record_key_l, record_key_r, match_probability, match_weight, decision  -- noqa: RF02
        )
    from review_pairs as pairs
    inner join records as rec_l on pairs.record_key_l = rec_l.record_key
    inner join records as rec_r on pairs.record_key_r = rec_r.record_key
    left join registry as key_l on pairs.record_key_l = key_l.record_key
    left join registry as key_r on pairs.record_key_r = key_r.record_key
)

select * from final  -- noqa: AM04
