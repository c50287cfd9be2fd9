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
    another postcode, the evidence the services hold points them to a household:
      1. a child on free school meals joins the household of the benefit claimant the
         eligibility derives from (parent_claim_id), source 'parent_claim';
      2. else a person whose latest postcode holds exactly one household with a member of
         one of their family names (every surname they are recorded under, each part of a
         double-barrelled one, -SKA read as -SKI) joins it, source 'postcode_surname'; a
         household a current record places that member in wins over one only an ended
         record does;
      3. else a person last seen at a postcode before a member of one of their family names
         moved on from it joins the one household that member moved to (a school census
         that still shows the old postcode), source 'moved_with_family';
      People no property holds who share a latest postcode and a family name (siblings on the
      school census, say) are taken to live together: when nothing points one of them
      anywhere, what points the others (a sibling's claimant, say) points them too.
      4. else people no property holds who share a latest postcode and usual surname (the one
         most of their records hold) form a household of their own, keyed by a hash of that
         postcode and surname, source 'shared_postcode_surname';
      5. else household_key is NULL (not placed: no postcode and no claimant).
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

family_relationships as (
    select * from {{ ref('idn_family_relationships') }}
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
        latest_prop.property_since,
        latest_pc.postcode as latest_postcode,
        latest_pc.postcode_since as latest_postcode_since,
        coalesce(latest_prop.property_is_current, false) as property_is_current,
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

-- the family names each person is recorded under: the whole surname and each part of a
-- double-barrelled or two-word one, feminine Polish forms (-SKA, -CKA) read as the family's
-- (-SKI, -CKI), so that a mother and son, or a hyphen variant, share a name; particles and
-- parts under three letters are too common to say anything
person_surnames as (
    select distinct
        person_key,
        surname
    from keyed
    where surname is not null
),

surname_parts as (
    select
        person_key,
        surname as surname_part
    from person_surnames
    union all
    select
        person_key,
        {{ dbt.split_part("replace(surname, ' ', '-')", "'-'", 1) }} as surname_part
    from person_surnames
    where surname like '%-%' or surname like '% %'
    union all
    select
        person_key,
        {{ dbt.split_part("replace(surname, ' ', '-')", "'-'", 2) }} as surname_part
    from person_surnames
    where surname like '%-%' or surname like '% %'
),

family_names as (
    select distinct
        person_key,
        case
            when surname_part like '%SKA' or surname_part like '%CKA'
                then {{ dbt.concat([
                    "substring(surname_part, 1, " ~ dbt.length('surname_part') ~ " - 1)", "'I'"
                ]) }}
            else surname_part
        end as family_name
    from surname_parts
    where
        {{ dbt.length('surname_part') }} >= 3
        and surname_part not in ('VAN', 'DER', 'DEN', 'DEL', 'DOS', 'DAS', 'BIN', 'BEN')
),

-- the household a free school meals child's eligibility derives from (the claimant's)
claimant_properties as (
    select distinct
        child.person_key,
        parent.property_key
    from family_relationships
    inner join placed as child on family_relationships.related_person_key = child.person_key
    inner join placed as parent on family_relationships.person_key = parent.person_key
    where child.property_key is null and parent.property_key is not null
),

-- households at a postcode with a member of a family name (whom a current record places
-- there, or only an ended one)
postcode_family_households as (
    select
        placed.property_postcode as postcode,
        family_names.family_name,
        placed.property_key,
        max(case when placed.property_is_current then 1 else 0 end) = 1 as current_member
    from placed
    inner join family_names on placed.person_key = family_names.person_key
    where placed.property_key is not null and placed.property_postcode is not null
    group by placed.property_postcode, family_names.family_name, placed.property_key
),

-- where the people placed now lived before they moved there: a family name at an earlier
-- postcode and the household its bearer moved on to
former_family_households as (
    select distinct
        former.postcode,
        family_names.family_name,
        placed.property_key,
        placed.property_since as moved_on
    from placed
    inner join current_places as former on placed.person_key = former.person_key
    inner join family_names on placed.person_key = family_names.person_key
    where
        placed.property_key is not null
        and former.postcode is not null
        and former.postcode <> placed.property_postcode
        and former.address_since < placed.property_since
),

-- people no property holds, with their last postcode, once per family name
unplaced as (
    select
        placed.person_key,
        placed.latest_postcode,
        placed.latest_postcode_since,
        family_names.family_name
    from placed
    inner join family_names on placed.person_key = family_names.person_key
    where placed.property_key is null and placed.latest_postcode is not null
),

-- for each person no property holds: the households their postcode and family names point to
direct_candidates as (
    select distinct
        unplaced.person_key,
        households.property_key,
        'postcode_surname' as candidate_source,
        households.current_member
    from unplaced
    inner join postcode_family_households as households
        on
            unplaced.latest_postcode = households.postcode
            and unplaced.family_name = households.family_name
    union all
    select
        person_key,
        property_key,
        'parent_claim' as candidate_source,
        true as current_member
    from claimant_properties
    union all
    -- last seen at a postcode before a family member moved on from it: moved with them
    select distinct
        unplaced.person_key,
        households.property_key,
        'moved_with_family' as candidate_source,
        true as current_member
    from unplaced
    inner join former_family_households as households
        on
            unplaced.latest_postcode = households.postcode
            and unplaced.family_name = households.family_name
            and unplaced.latest_postcode_since < households.moved_on
),

-- people no property holds who share a postcode and a family name (siblings on the school
-- census, say) live together: what points one of them to a household points the others
-- that nothing points anywhere themselves
unplaced_kin as (
    select distinct
        unplaced.person_key,
        kin.person_key as kin_person_key
    from unplaced
    inner join unplaced as kin
        on
            unplaced.latest_postcode = kin.latest_postcode
            and unplaced.family_name = kin.family_name
    where kin.person_key <> unplaced.person_key
),

candidates as (
    select
        person_key,
        property_key,
        candidate_source,
        current_member
    from direct_candidates
    union all
    select
        unplaced_kin.person_key,
        direct_candidates.property_key,
        direct_candidates.candidate_source,
        direct_candidates.current_member
    from unplaced_kin
    inner join direct_candidates on unplaced_kin.kin_person_key = direct_candidates.person_key
    where unplaced_kin.person_key not in (select own.person_key from direct_candidates as own)
),

-- a claimant decides; else the one household the postcode and family names point to now
-- (where a current record places the member, if one does); else the one a family member
-- moved on to
candidate_tiers as (
    select
        person_key,
        case when candidate_source = 'parent_claim' then property_key end as claim_property,
        case when candidate_source <> 'moved_with_family' then property_key end
            as present_property,
        case
            when candidate_source <> 'moved_with_family' and current_member then property_key
        end as present_current_property,
        case when candidate_source = 'moved_with_family' then property_key end
            as moved_property
    from candidates
),

candidate_counts as (
    select
        person_key,
        count(distinct claim_property) as claims,
        min(claim_property) as claim_property,
        count(distinct present_property) as present,
        min(present_property) as present_property,
        count(distinct present_current_property) as present_current,
        min(present_current_property) as present_current_property,
        count(distinct moved_property) as moved,
        min(moved_property) as moved_property
    from candidate_tiers
    group by person_key
),

chosen_households as (
    select
        person_key,
        case
            when claims = 1 then claim_property
            when present_current = 1 then present_current_property
            when present = 1 then present_property
            when present = 0 and moved = 1 then moved_property
        end as property_key,
        case
            when claims = 1 then 'parent_claim'
            when present_current = 1 or present = 1 then 'postcode_surname'
            when present = 0 and moved = 1 then 'moved_with_family'
        end as household_source
    from candidate_counts
),

-- the surname a person is most often recorded under (a typo in one record does not split
-- siblings)
usual_surnames as (
    select
        person_key,
        surname,
        row_number() over (
            partition by person_key order by count(*) desc, max(address_since) desc, surname
        ) as surname_rank
    from keyed
    where surname is not null
    group by person_key, surname
),

final as (
    select
        placed.person_key,
        placed.latest_postcode,
        usual_surnames.surname as usual_surname,
        coalesce(placed.property_key, chosen.property_key) as property_key,
        case
            when placed.property_key is not null then 'address'
            when chosen.property_key is not null then chosen.household_source
            when placed.latest_postcode is not null and usual_surnames.surname is not null
                then 'shared_postcode_surname'
        end as household_source
    from placed
    left join chosen_households as chosen
        on placed.person_key = chosen.person_key
    left join usual_surnames
        on placed.person_key = usual_surnames.person_key and usual_surnames.surname_rank = 1
)

select
    person_key,
    property_key,
    case
        when property_key is not null
            then {{ pseudonymise(dbt.concat(["'household/'", "property_key"])) }}
        when household_source = 'shared_postcode_surname'
            then {{ pseudonymise(dbt.concat([
                "'household/unlocated/'", "latest_postcode", "'|'", "usual_surname"
            ])) }}
    end as household_key,
    household_source
from final
