{#-
    idn_match_records: one row per source person record, from every person-bearing staging
    model (staging_extracts() with person: true), in the standard match columns of
    docs/layers.md, plus the columns the linkage model compares:

      forename_first       the first standardised forename
      forename_canonical   forename_first through the nickname map (idn_forename_nicknames)
      postcode_sector      'AB1 2', postcode_district 'AB1'
      system_person_id     '<service>:<person_source_id>' (a system's own person id)
      address_since        when the record began placing the person at its address
      address_open         true while the record is open, false once ended, NULL: an event
      latest_possible_dob  for records of roles only adults hold (a council tax account, a
                           benefit claim, a tenancy ...): the role's start date less 16
                           years; the person cannot have been born after it
      representative_key   records identical on every match column (within a service) share
                           one representative, the smallest record_key, which Splink scores
                           for all of them (a pupil's census return every term is scored once);
                           only records holding a date of birth and a place or identifier
                           are grouped, so two that agree on everything are one person
      record_status        'staged'; or 'objection_cited' for a record staging did not keep
                           (expired by retention, or rejected) that an objection cites: it
                           takes part in linkage only so that the objection reaches the
                           person's current records (idn_record_keys leaves it out)

    Restricted (identity schema): direct identifiers.
-#}

{#-
    Where each extract places the person, and since when: address_since is the date the
    record began placing the person at its address (an account's or tenancy's start, a
    contact's date); address_open is true while the record is open (no end date), false once
    it has ended (the person has left that address), NULL for one-off events.
-#}
{%- set address_since = {
    'council_tax_accounts': 'account_start_date',
    'benefit_claims': 'start_date',
    'debts': 'raised_date',
    'tenancies': 'start_date',
    'money_hub_contacts': 'contact_date',
    'register_applications': 'application_date',
    'approaches': 'approach_date',
    'spoa_referrals': 'referral_date',
    'early_help_episodes': 'episode_start',
    'youth_offending': 'offence_date',
    'involvements': 'start_date',
    'school_census': 'term_start_date',
} -%}
{%- set address_open = {
    'council_tax_accounts': 'account_end_date is null',
    'benefit_claims': 'end_date is null',
    'tenancies': 'end_date is null',
    'temporary_accommodation': 'false',
    'register_applications': "status in ('Active', 'Suspended')",
    'approaches': 'false',
    'early_help_episodes': 'episode_end is null',
    'involvements': 'end_date is null',
} -%}

{#- Roles only adults hold: the date the record shows the person in that role. -#}
{%- set adult_role_on = {
    'council_tax_accounts': 'account_start_date',
    'benefit_claims': 'start_date',
    'debts': 'raised_date',
    'tenancies': 'start_date',
    'temporary_accommodation': 'placement_start',
    'money_hub_contacts': 'contact_date',
    'register_applications': 'application_date',
    'approaches': 'approach_date',
    'spoa_referrals': 'referral_date',
    'involvements': 'start_date',
} -%}

{%- set match_columns = [
    'person_source_id', 'forename', 'surname', 'date_of_birth', 'sex', 'postcode',
    'address_line', 'uprn', 'nhs_number', 'ni_number', 'upn', 'phone', 'email',
] -%}
{%- set last_person_file = (staging_extracts() | selectattr('person') | list | last).source_file -%}

with

cited_unstaged as (
    select cited_record_key
    from {{ ref('stg_governance__objections') }}
    where cited_record_status <> 'staged'
),

unioned as (
    {%- for extract in staging_extracts() if extract.person %}
    {%- set base_model = ref(staging_model_name(extract, 'base')) %}
    {%- set base_columns = [] %}
    {%- if execute and adapter.get_columns_in_relation is defined %}
    {%- for column in adapter.get_columns_in_relation(base_model) %}
    {%- do base_columns.append(column.name | lower) %}
    {%- endfor %}
    {%- endif %}
    {%- for status in ['staged', 'objection_cited'] %}
    select
        '{{ extract.service }}' as service,
        '{{ extract.source_file }}' as source_file,
        {%- if status == 'staged' %}
        record_key,
        {%- else %}
        {{ record_key(extract.service, extract.source_file, 'record_id') }} as record_key,
        {%- endif %}
        record_id,
        {%- for column in match_columns %}
        {%- if status == 'staged' or column in base_columns %}
        {{ column }},
        {%- else %}
        cast(null as {{ 'date' if column == 'date_of_birth' else dbt.type_string() }})
            as {{ column }},
        {%- endif %}
        {%- endfor %}
        cast({{ address_since.get(extract.source_file, 'null') }} as date) as address_since,
        cast({{ address_open.get(extract.source_file, 'null') }} as boolean) as address_open,
        cast({{ adult_role_on.get(extract.source_file, 'null') }} as date) as adult_role_on,
        '{{ status }}' as record_status,
        {{ loop.index }} as raw_order
    {%- if status == 'staged' %}
    from {{ ref(staging_model_name(extract)) }}
    {%- else %}
    from {{ base_model }} as base
    where
        base.staging_status in ('expired', 'rejected')
        and base.record_id not in (
            select staged.record_id from {{ ref(staging_model_name(extract)) }} as staged
        )
        and {{ record_key(extract.service, extract.source_file, 'base.record_id') }}
        in (select cited_unstaged.cited_record_key from cited_unstaged)
    {%- endif %}
    {%- if not (loop.last and extract.source_file == last_person_file) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
),

nicknames as (
    select * from {{ ref('idn_forename_nicknames') }}
),

derived as (
    select
        unioned.*,
        nullif(split_part(unioned.forename, ' ', 1), '') as forename_first,
        case
            when unioned.postcode is not null
                then regexp_extract(unioned.postcode, '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9]')
        end as postcode_sector,
        case
            when unioned.postcode is not null
                then regexp_extract(unioned.postcode, '^[A-Z]{1,2}[0-9][A-Z0-9]?')
        end as postcode_district,
        case
            when unioned.person_source_id is not null
                then unioned.service || ':' || unioned.person_source_id
        end as system_person_id,
        -- one row per record: a cited record rejected more than once appears once
        row_number() over (partition by unioned.record_key order by unioned.raw_order)
            as record_order
    from unioned
),

final as (
    select
        derived.service,
        derived.source_file,
        derived.record_key,
        derived.record_id,
        derived.person_source_id,
        derived.forename,
        derived.surname,
        derived.date_of_birth,
        derived.sex,
        derived.postcode,
        derived.address_line,
        derived.uprn,
        derived.nhs_number,
        derived.ni_number,
        derived.upn,
        derived.phone,
        derived.email,
        derived.record_status,
        derived.address_since,
        derived.address_open,
        cast({{ dbt.dateadd('year', -16, 'derived.adult_role_on') }} as date)
            as latest_possible_dob,
        derived.forename_first,
        derived.system_person_id,
        coalesce(nicknames.canonical_forename, derived.forename_first) as forename_canonical,
        nullif(derived.postcode_sector, '') as postcode_sector,
        nullif(derived.postcode_district, '') as postcode_district,
        case
            when
                derived.date_of_birth is not null
                and coalesce(
                    derived.postcode, derived.address_line, derived.uprn, derived.nhs_number,
                    derived.ni_number, derived.upn, derived.system_person_id
                ) is not null
                then min(derived.record_key) over (
                    partition by
                        derived.service, derived.forename, derived.surname,
                        derived.date_of_birth, derived.sex, derived.postcode,
                        derived.address_line, derived.uprn, derived.nhs_number,
                        derived.ni_number, derived.upn, derived.system_person_id,
                        derived.phone, derived.email, derived.adult_role_on
                )
            else derived.record_key
        end as representative_key
    from derived
    left join nicknames on derived.forename_first = nicknames.name
    where derived.record_order = 1
)

select * from final
