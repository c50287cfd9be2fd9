{#-
    idn_person_households: one row per current person_key, with the property and household
    they belong to at the as-of date.

    A property is a UPRN where a service holds one; else the standardised first address line
    and postcode, matched to a UPRN another service holds for that same address where it can
    be. property_key is a keyed hash of it (the address itself stays in staging and
    idn_match_records).

    Only records that place the person now count: open ones (an account, tenancy, claim,
    episode without an end date) and one-off contacts of the last two years; an ended record
    says the person has left that address. A person's property is the one on the most recent
    such record with a full address (address_since, then the record holding a UPRN, then
    record_key). When nothing places them at a property, or a more recent record puts them at
    another postcode:
      1. a child on free school meals joins the household of the benefit claimant the
         eligibility derives from (parent_claim_id), source 'parent_claim';
      2. else a person whose latest postcode holds exactly one household with a member of the
         same surname joins it, source 'postcode_surname';
      3. else people no property holds who share a latest postcode and surname (siblings on
         the school census, say) form a household of their own, keyed by a hash of that
         postcode and surname, source 'shared_postcode_surname';
      4. else household_key is NULL (not placed: no postcode and no claimant).
    household_key = keyed hash of the property key: people at one property at the as-of date
    form one household; the same property keeps the same household_key build after build.
-#}

with

records as (
    select * from {{ ref('idn_match_records') }}
    where record_status = 'staged'
),

registry as (
    select
        record_key,
        person_key
    from {{ ref('idn_person_key_registry') }}
),

claims as (
    select
        record_id,
        record_key
    from {{ ref('stg_revenues_benefits__benefit_claims') }}
),

school_meals as (
    select
        record_key,
        parent_claim_id
    from {{ ref('stg_revenues_benefits__free_school_meals') }}
),

keyed as (
    select
        records.*,
        registry.person_key
    from records
    inner join registry on records.record_key = registry.record_key
),

-- the records that place the person at the as-of date (is_current), and the rest
current_places as (
    select
        *,
        coalesce(
            address_open
            or (
                address_open is null
                and address_since
                >= {{ dbt.dateadd('year', -2, "cast('" ~ var('as_of_date') ~ "' as date)") }}
            ),
            false
        ) as is_current
    from keyed
),

-- the UPRN another service holds for an address line + postcode (the most common one)
address_uprns as (
    select
        address_line,
        postcode,
        uprn,
        row_number() over (
            partition by address_line, postcode order by count(*) desc, uprn
        ) as uprn_rank
    from keyed
    where uprn is not null and address_line is not null and postcode is not null
    group by address_line, postcode, uprn
),

record_properties as (
    select
        keyed.person_key,
        keyed.record_key,
        keyed.postcode,
        keyed.surname,
        keyed.address_since,
        keyed.is_current,
        coalesce(keyed.uprn, address_uprns.uprn) as property_uprn,
        {{ pseudonymise(dbt.concat([
            "'property/'",
            "case when coalesce(keyed.uprn, address_uprns.uprn) is not null "
            ~ "then 'uprn/' || coalesce(keyed.uprn, address_uprns.uprn) "
            ~ "else 'address/' || keyed.address_line || '|' || keyed.postcode end",
        ])) }} as property_key
    from current_places as keyed
    left join address_uprns
        on
            keyed.address_line = address_uprns.address_line
            and keyed.postcode = address_uprns.postcode
            and address_uprns.uprn_rank = 1
    where keyed.uprn is not null or (keyed.address_line is not null and keyed.postcode is not null)
),

latest_property as (
    select
        person_key,
        property_key,
        postcode as property_postcode,
        address_since as property_since,
        is_current as property_is_current,
        row_number() over (
            partition by person_key
            order by
                is_current desc,
                address_since desc nulls last,
                (property_uprn is not null) desc,
                record_key
        ) as recency
    from record_properties
),

latest_postcode as (
    select
        person_key,
        postcode,
        surname,
        address_since as postcode_since,
        row_number() over (
            partition by person_key
            order by is_current desc, address_since desc nulls last, record_key asc
        ) as recency
    from current_places
    where postcode is not null
),

persons as (
    select distinct person_key from keyed
),

-- who a current record places at each property now, by surname
current_occupants as (
    select distinct
        property_key,
        person_key,
        surname
    from record_properties
    where is_current
),

placed as (
    select
        persons.person_key,
        latest_prop.property_postcode,
        latest_pc.postcode as latest_postcode,
        latest_pc.surname as latest_surname,
        case
            when
                latest_pc.postcode_since > latest_prop.property_since
                and latest_pc.postcode <> latest_prop.property_postcode
                then null
            -- only ended records place them: they stay unless someone of another surname
            -- (and none of theirs) lives there now
            when
                not latest_prop.property_is_current
                and exists (
                    select 1 from current_occupants as occupant
                    where
                        occupant.property_key = latest_prop.property_key
                        and occupant.person_key <> persons.person_key
                )
                and not exists (
                    select 1 from current_occupants as occupant
                    where
                        occupant.property_key = latest_prop.property_key
                        and occupant.person_key <> persons.person_key
                        and occupant.surname = latest_pc.surname
                )
                then null
            else latest_prop.property_key
        end as property_key
    from persons
    left join latest_property as latest_prop
        on persons.person_key = latest_prop.person_key and latest_prop.recency = 1
    left join latest_postcode as latest_pc
        on persons.person_key = latest_pc.person_key and latest_pc.recency = 1
),

-- fallback 1: free school meals child -> the claimant's household
claimant_properties as (
    select
        child.person_key as child_person_key,
        parent.property_key,
        row_number() over (
            partition by child.person_key order by parent.property_key
        ) as claimant_rank
    from school_meals
    inner join registry as child_registry on school_meals.record_key = child_registry.record_key
    inner join placed as child on child_registry.person_key = child.person_key
    inner join claims on school_meals.parent_claim_id = claims.record_id
    inner join registry as parent_registry on claims.record_key = parent_registry.record_key
    inner join placed as parent on parent_registry.person_key = parent.person_key
    where child.property_key is null and parent.property_key is not null
),

-- fallback 2: the only household at the latest postcode with a member of the same surname
postcode_surname_households as (
    select
        placed.property_postcode as postcode,
        placed.latest_surname as surname,
        min(placed.property_key) as property_key,
        count(distinct placed.property_key) as households
    from placed
    where placed.property_key is not null and placed.latest_surname is not null
    group by placed.property_postcode, placed.latest_surname
),

final as (
    select
        placed.person_key,
        placed.latest_postcode,
        placed.latest_surname,
        coalesce(
            placed.property_key, claimant_properties.property_key, surname_households.property_key
        ) as property_key,
        case
            when placed.property_key is not null then 'address'
            when claimant_properties.property_key is not null then 'parent_claim'
            when surname_households.property_key is not null then 'postcode_surname'
            when placed.latest_postcode is not null and placed.latest_surname is not null
                then 'shared_postcode_surname'
        end as household_source
    from placed
    left join claimant_properties
        on
            placed.person_key = claimant_properties.child_person_key
            and claimant_properties.claimant_rank = 1
    left join postcode_surname_households as surname_households
        on
            placed.property_key is null
            and placed.latest_postcode = surname_households.postcode
            and placed.latest_surname = surname_households.surname
            and surname_households.households = 1
)

select
    person_key,
    property_key,
    case
        when property_key is not null
            then {{ pseudonymise(dbt.concat(["'household/'", "property_key"])) }}
        when household_source = 'shared_postcode_surname'
            then {{ pseudonymise(dbt.concat([
                "'household/unlocated/'", "latest_postcode", "'|'", "latest_surname"
            ])) }}
    end as household_key,
    household_source
from final
