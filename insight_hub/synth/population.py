"""Properties, households and the people in them.

`build_properties` lays out the borough's dwellings on the seeded postcodes; `new_households`
creates households of London-like types (singles, couples, families, lone parents, sharers,
multigenerational) with plausible ages, names, ethnicity, disability and identifiers. The same
function seeds the 2018 population and every later in-migrant household, which keeps the age
and household structure roughly stationary while people churn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from insight_hub.synth import identifiers
from insight_hub.synth.dates import NULL
from insight_hub.synth.geography import Geography
from insight_hub.synth.reference import Reference
from insight_hub.synth.table import Table

OWNER, PRIVATE, COUNCIL, HA = 0, 1, 2, 3
TENURES = np.array(["owner_occupied", "private_rented", "council_rented", "housing_association"])

# household types and their shares (of households) in a London-like outer/inner borough
HH_TYPES = [
    ("single_adult", 0.14),
    ("single_pensioner", 0.135),
    ("couple", 0.12),
    ("pensioner_couple", 0.09),
    ("couple_children", 0.195),
    ("lone_parent", 0.075),
    ("couple_adult_children", 0.09),
    ("sharers", 0.095),
    ("multigenerational", 0.06),
]
HH_TYPE_NAMES = np.array([t for t, _ in HH_TYPES])
HH_TYPE_P = np.array([p for _, p in HH_TYPES]) / sum(p for _, p in HH_TYPES)
# households moving into the borough: few pensioners, more families and sharers
IN_MIGRANT_P = np.array([0.18, 0.06, 0.14, 0.05, 0.24, 0.08, 0.05, 0.12, 0.08])
IN_MIGRANT_P = IN_MIGRANT_P / IN_MIGRANT_P.sum()
ROLE_REF, ROLE_PARTNER, ROLE_CHILD, ROLE_OTHER, ROLE_GRANDPARENT = 0, 1, 2, 3, 4

# ethnicity code index (0-based) of the ONS groups used in mixing rules
WBRI, WIRI, WOTH = 0, 1, 3
MWBC, MWBA, MWAS, MOTH = 4, 5, 6, 7
ASIAN = (8, 9, 10, 11, 12)
AFRICAN, CARIBBEAN, OTHER_BLACK = 13, 14, 15

# cultures where a married woman usually takes her husband's surname
TAKES_NAME = {
    "british": 0.8,
    "irish": 0.75,
    "polish": 0.85,
    "romanian": 0.8,
    "portuguese": 0.4,
    "italian": 0.15,
    "turkish": 0.8,
    "indian": 0.7,
    "pakistani": 0.45,
    "bangladeshi": 0.25,
    "nigerian": 0.8,
    "ghanaian": 0.6,
    "somali": 0.0,
    "caribbean": 0.75,
    "chinese": 0.1,
    "arab": 0.05,
    "tamil": 0.6,
    "filipino": 0.7,
    "latin": 0.1,
}


def person_table(capacity: int) -> Table:
    i32, f32, obj = np.int32, np.float32, object
    return Table(
        {
            "sex": (np.int8, 0),  # 0 male, 1 female
            "dob": (i32, NULL),
            "eth": (np.int8, 0),
            "origin": (np.int8, 0),
            "forename": (obj, None),
            "middle": (obj, None),
            "surname_birth": (obj, None),
            "surname_married": (obj, None),
            "name_change": (i32, np.iinfo(np.int32).max),
            "disability": (np.bool_, False),
            "dod": (i32, NULL),
            "partner": (i32, -1),
            "role": (np.int8, 0),
            "hh": (i32, -1),
            "arrived": (i32, NULL),
            "left": (i32, NULL),
            "mother": (i32, -1),
            "nhs": (obj, None),
            "nino": (obj, None),
            "frailty": (f32, 0.0),
        },
        capacity,
    )


def household_table(capacity: int) -> Table:
    return Table(
        {
            "formed": (np.int32, NULL),
            "ended": (np.int32, NULL),
            "prop": (np.int32, -1),
            "need": (np.float32, 0.0),
            "htype": (np.int8, 0),
            "phone": (object, None),
            "email_ok": (np.bool_, False),
        },
        capacity,
    )


@dataclass
class Properties:
    uprn: np.ndarray
    flat: np.ndarray  # flat number or 0
    number: np.ndarray  # building number on the street
    building: np.ndarray  # block name or None
    street: np.ndarray
    postcode: np.ndarray
    lsoa: np.ndarray  # index into geography.lsoas
    ward: np.ndarray  # index into geography.wards
    decile: np.ndarray
    band: np.ndarray  # 0..7 = A..H
    tenure: np.ndarray
    occupant: np.ndarray  # household index or -1

    def __len__(self):
        return len(self.uprn)


def build_properties(
    rng: np.random.Generator, n: int, geo: Geography, ref: Reference
) -> Properties:
    lsoas = geo.lsoas
    pcs = geo.postcodes.merge(lsoas, on="lsoa_code", how="left")
    lsoa_index = {c: i for i, c in enumerate(lsoas.lsoa_code)}
    ward_index = {c: i for i, c in enumerate(geo.wards.ward_code)}
    n_pc = len(pcs)
    # dwellings per postcode: roughly even, with some big estates
    w = rng.gamma(2.0, 1.0, size=n_pc)
    counts = rng.multinomial(n, w / w.sum())
    # streets: every stem x suffix name once, each covering ~2 neighbouring postcodes
    combos = np.array(
        [f"{a} {b}" for a in ref.street_stems.names for b in ref.street_suffixes.names],
        dtype=object,
    )
    weights = np.outer(ref.street_stems.p, ref.street_suffixes.p).ravel()
    n_streets = min(len(combos), max(n_pc // 2, 1))
    names = combos[rng.choice(len(combos), size=n_streets, replace=False, p=weights)]
    per = -(-n_pc // n_streets)
    pc_street = names[np.arange(n_pc) // per]
    blocks = ref.block_suffixes.sample(rng, n_pc)
    pc_idx = np.repeat(np.arange(n_pc), counts)
    m = len(pc_idx)
    dec = pcs.imd_decile.to_numpy()[pc_idx]
    p_council = 0.03 + 0.03 * (10 - dec)
    p_ha = 0.03 + 0.012 * (10 - dec)
    u = rng.random(m)
    tenure = np.where(
        u < p_council,
        COUNCIL,
        np.where(u < p_council + p_ha, HA, np.where(u < p_council + p_ha + 0.30, PRIVATE, OWNER)),
    )
    social = tenure >= COUNCIL
    # purpose-built block flats (social housing mostly), converted flats, houses
    u = rng.random(m)
    kind = np.where(
        social,
        np.where(u < 0.75, 0, np.where(u < 0.8, 1, 2)),
        np.where(u < 0.25, 0, np.where(u < 0.5, 1, 2)),
    )
    order = np.lexsort((kind, pc_idx))
    pc_idx, tenure, kind, dec = pc_idx[order], tenure[order], kind[order], dec[order]
    g = pd.DataFrame({"pc": pc_idx, "kind": kind})
    j = g.groupby(["pc", "kind"], sort=False).cumcount().to_numpy()
    block_size = rng.integers(8, 31, size=n_pc)[pc_idx]
    conv_size = 3
    bidx = np.where(kind == 0, j // block_size, np.where(kind == 1, j // conv_size, j))
    flat = np.where(
        kind == 0, j % block_size + 1, np.where(kind == 1, j % conv_size + 1, 0)
    ).astype(np.int32)
    # number the buildings along each street, postcode after postcode
    bkey = pd.DataFrame({"pc": pc_idx, "kind": kind, "b": bidx})
    first = ~bkey.duplicated().to_numpy()
    b_pc = pc_idx[first]
    street = pc_street[b_pc]
    ordinal = pd.Series(np.ones(len(b_pc), np.int64)).groupby(street).cumsum().to_numpy()
    gap = rng.integers(1, 3, size=len(b_pc))
    number_b = pd.Series(gap).groupby(street).cumsum().to_numpy() - gap + 1
    del ordinal
    building_of_unit = np.cumsum(first) - 1
    number = number_b[building_of_unit].astype(np.int32)
    building = np.where(
        kind == 0,
        np.char.add(
            np.char.add(
                np.array([" ".join(x.split(" ")[:-1]) for x in pc_street], dtype=object)[
                    pc_idx
                ].astype(str),
                " ",
            ),
            blocks[pc_idx].astype(str),
        ),
        None,
    ).astype(object)
    band = np.where(kind == 2, rng.normal(3.6, 1.0, m), rng.normal(1.9, 0.9, m))
    band = np.clip(np.rint(band + 0.12 * (dec - 5)), 0, 7).astype(np.int8)
    cols = {
        "pc": [pc_idx],
        "flat": [flat],
        "number": [number],
        "building": [building],
        "tenure": [tenure],
        "band": [band],
    }
    pc_idx = np.concatenate(cols["pc"])
    m = len(pc_idx)
    return Properties(
        uprn=identifiers.uprns(rng, m),
        flat=np.concatenate(cols["flat"]),
        number=np.concatenate(cols["number"]),
        building=np.concatenate(cols["building"]),
        street=pc_street[pc_idx].astype(object),
        postcode=pcs.postcode.to_numpy()[pc_idx].astype(object),
        lsoa=np.array([lsoa_index[c] for c in pcs.lsoa_code])[pc_idx].astype(np.int32),
        ward=np.array([ward_index[c] for c in pcs.ward_code])[pc_idx].astype(np.int32),
        decile=pcs.imd_decile.to_numpy()[pc_idx].astype(np.int8),
        band=np.concatenate(cols["band"]),
        tenure=np.concatenate(cols["tenure"]).astype(np.int8),
        occupant=np.full(m, -1, dtype=np.int32),
    )


def _adult_age(rng, n, lo=18, hi=64):
    """Working-age adults, London-shaped: most aged 25-45."""
    a = rng.gamma(4.0, 4.2, size=n) + 18
    bad = (a < lo) | (a > hi + 0.99)
    while bad.any():
        a[bad] = rng.gamma(4.0, 4.2, size=int(bad.sum())) + 18
        bad = (a < lo) | (a > hi + 0.99)
    return a


def _pensioner_age(rng, n):
    return np.minimum(65 + rng.exponential(9.0, size=n), 98)


def _mixed(e1: np.ndarray, e2: np.ndarray) -> np.ndarray:
    """Ethnicity of the children of parents of groups e1 and e2 (0-based codes)."""
    same = e1 == e2
    white1 = e1 <= WOTH
    white2 = e2 <= WOTH
    other = np.where(white1, e2, e1)
    one_white = white1 ^ white2
    out = np.where(
        one_white & (other == CARIBBEAN),
        MWBC,
        np.where(
            one_white & (other == AFRICAN),
            MWBA,
            np.where(one_white & np.isin(other, ASIAN), MWAS, MOTH),
        ),
    )
    both_white = white1 & white2
    return np.where(same, e1, np.where(both_white, e1, out)).astype(np.int8)


def _groups(key: np.ndarray):
    """(key value, indices) for each distinct key, without a full scan per key."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    cuts = np.flatnonzero(np.diff(k)) + 1
    starts = np.r_[0, cuts]
    ends = np.r_[cuts, len(k)]
    for a, b in zip(starts, ends, strict=True):
        if b > a:
            yield int(k[a]), order[a:b]


def _names(rng, ref: Reference, origin, sex, dob_year, out_first, out_middle):
    """Fill forenames (and an occasional middle name) by origin, sex and era of birth."""
    era = (np.asarray(dob_year) < 1975).astype(np.int64)
    key = origin.astype(np.int64) * 4 + sex.astype(np.int64) * 2 + era
    for kv, sel in _groups(key):
        o, s_, e = kv // 4, (kv // 2) % 2, kv % 2
        pool = ref.first[(ref.origins[o], "MF"[s_], ("young", "old")[e])]
        first = pool.sample(rng, len(sel))
        out_first[sel] = first
        has_mid = rng.random(len(sel)) < 0.35
        mids = pool.sample(rng, len(sel))
        out_middle[sel] = np.where(has_mid & (mids != first), mids, None)


def _surnames(rng, ref: Reference, origin) -> np.ndarray:
    out = np.empty(len(origin), dtype=object)
    for o, sel in _groups(origin.astype(np.int64)):
        out[sel] = ref.surnames[ref.origins[o]].sample(rng, len(sel))
    return out


def feminise(surnames: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Polish surnames take a feminine ending for women (Kowalski -> Kowalska)."""
    out = surnames.copy()
    for i in np.flatnonzero(female):
        s = out[i]
        if s and s.endswith(("ski", "cki", "dzki")):
            out[i] = s[:-1] + "a"
    return out


def _origin_for(rng, ref: Reference, eth: np.ndarray) -> np.ndarray:
    out = np.zeros(len(eth), dtype=np.int8)
    oindex = {o: i for i, o in enumerate(ref.origins)}
    for e in np.unique(eth):
        sel = np.flatnonzero(eth == e)
        mix = ref.ethnicities.origin_mix[e]
        keys = list(mix)
        p = np.array([mix[k] for k in keys])
        out[sel] = np.array([oindex[k] for k in keys])[
            rng.choice(len(keys), len(sel), p=p / p.sum())
        ]
    return out


def new_households(
    rng: np.random.Generator,
    k: int,
    when: np.ndarray,
    ref: Reference,
    people: Table,
    households: Table,
    htype: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Create k households formed at day numbers `when`; returns (household ids, person ids)."""
    when = np.broadcast_to(np.asarray(when, dtype=np.int32), (k,)).copy()
    if htype is None:
        htype = rng.choice(len(HH_TYPES), size=k, p=HH_TYPE_P).astype(np.int8)
    eth_p = ref.ethnicities.share
    hh_eth = rng.choice(18, size=k, p=eth_p).astype(np.int8)
    # older households are more often White British / Irish / Caribbean (London's age profile)
    old = np.isin(htype, (1, 3))
    w_old = eth_p * np.where(np.isin(np.arange(18), (WBRI, WIRI, CARIBBEAN)), 2.2, 0.6)
    hh_eth[old] = rng.choice(18, size=int(old.sum()), p=w_old / w_old.sum())
    # member slots: (household, role, age, sex) built per type
    hh_l, role_l, age_l, sex_l, slot_l = [], [], [], [], []

    def add(h, role, age, sex, slot):
        hh_l.append(h)
        role_l.append(np.full(len(h), role, np.int8))
        age_l.append(age)
        sex_l.append(sex.astype(np.int8))
        slot_l.append(np.full(len(h), slot, np.int8))

    idx = np.arange(k)
    for t in range(len(HH_TYPES)):
        h = idx[htype == t]
        n = len(h)
        if n == 0:
            continue
        name = HH_TYPES[t][0]
        if name == "single_adult":
            add(h, ROLE_REF, _adult_age(rng, n, 18, 64), rng.random(n) < 0.47, 0)
        elif name == "single_pensioner":
            add(h, ROLE_REF, _pensioner_age(rng, n), rng.random(n) < 0.64, 0)
        elif name in ("couple", "pensioner_couple"):
            a = _adult_age(rng, n, 20, 64) if name == "couple" else _pensioner_age(rng, n)
            same_sex = rng.random(n) < 0.03
            s1 = rng.random(n) < 0.5
            add(h, ROLE_REF, a, s1, 0)
            add(
                h,
                ROLE_PARTNER,
                np.maximum(a + rng.normal(0, 4, n), 18),
                np.where(same_sex, s1, ~s1),
                1,
            )
        else:
            if name in ("couple_children", "lone_parent", "multigenerational"):
                nkids = 1 + rng.choice(4, size=n, p=[0.48, 0.36, 0.12, 0.04])
                oldest = rng.uniform(0, 17.99, size=n)
                mother = oldest + rng.uniform(20, 38, size=n)
                kid_min, kid_max = 0.0, 17.99
            elif name == "couple_adult_children":
                nkids = 1 + rng.choice(3, size=n, p=[0.5, 0.35, 0.15])
                oldest = rng.uniform(18, 32, size=n)
                mother = oldest + rng.uniform(21, 36, size=n)
                kid_min, kid_max = 16.0, 32.0
            else:  # sharers
                nadults = 2 + rng.choice(3, size=n, p=[0.35, 0.45, 0.2])
                for j in range(4):
                    sel = nadults > j
                    add(
                        h[sel],
                        ROLE_REF if j == 0 else ROLE_OTHER,
                        rng.uniform(19, 42, int(sel.sum())),
                        rng.random(int(sel.sum())) < 0.5,
                        j,
                    )
                continue
            if name == "lone_parent":
                fem = rng.random(n) < 0.9
                add(h, ROLE_REF, mother + np.where(fem, 0, 3), fem, 0)
            else:
                add(
                    h,
                    ROLE_REF,
                    np.maximum(mother + rng.normal(2.5, 3.5, n), 18),
                    np.zeros(n, bool),
                    0,
                )
                add(h, ROLE_PARTNER, mother, np.ones(n, bool), 1)
            for j in range(4):
                sel = nkids > j
                m = int(sel.sum())
                gap = rng.uniform(1.2, 4.5, m) * j
                age = np.clip(oldest[sel] - gap, kid_min, kid_max)
                add(h[sel], ROLE_CHILD, age, rng.random(m) < 0.488, 2 + j)
            if name == "multigenerational":
                gp = np.maximum(mother + rng.uniform(22, 34, n), 58)
                gsex = rng.random(n) < 0.65
                add(h, ROLE_GRANDPARENT, gp, gsex, 6)
                two = rng.random(n) < 0.4
                gp2 = np.maximum(gp[two] + rng.normal(0, 3, int(two.sum())), 58)
                add(h[two], ROLE_GRANDPARENT, gp2, ~gsex[two], 7)
    hh = np.concatenate(hh_l)
    role = np.concatenate(role_l)
    age = np.concatenate(age_l)
    sex = np.concatenate(sex_l)
    slot = np.concatenate(slot_l)
    order = np.lexsort((slot, hh))
    hh, role, age, sex, slot = hh[order], role[order], age[order], sex[order], slot[order]
    m = len(hh)
    dob = (when[hh] - np.floor(age * 365.25) - rng.integers(0, 365, m)).astype(np.int32)
    dob = np.minimum(dob, when[hh])
    # ethnicity: household's, with sharers independent and some partners of another group
    eth = hh_eth[hh].copy()
    indep = (htype[hh] == 7) & (role != ROLE_REF)
    eth[indep] = rng.choice(18, size=int(indep.sum()), p=eth_p)
    partner_other = (role == ROLE_PARTNER) & (rng.random(m) < 0.08)
    eth[partner_other] = rng.choice(18, size=int(partner_other.sum()), p=eth_p)
    # children of a couple of two groups are of mixed ethnicity
    first_of_hh = np.r_[0, np.flatnonzero(np.diff(hh)) + 1]
    start = np.repeat(first_of_hh, np.diff(np.r_[first_of_hh, m]))
    partner_pos = np.full(k, -1)
    pp = np.flatnonzero(role == ROLE_PARTNER)
    partner_pos[hh[pp]] = pp
    kids = np.flatnonzero((role == ROLE_CHILD) & (partner_pos[hh] >= 0))
    eth[kids] = _mixed(eth[start[kids]], eth[partner_pos[hh[kids]]])
    origin = _origin_for(rng, ref, eth)
    # children share their parents' name origin where ethnicity is mixed
    mixed_kids = kids[np.isin(eth[kids], (MWBC, MWBA, MWAS, MOTH))]
    origin[mixed_kids] = np.where(
        rng.random(len(mixed_kids)) < 0.6,
        origin[start[mixed_kids]],
        origin[partner_pos[hh[mixed_kids]]],
    )
    # names
    year = 1970 + dob // 365
    forename = np.empty(m, dtype=object)
    middle = np.empty(m, dtype=object)
    _names(rng, ref, origin, sex, year, forename, middle)
    own_surname = _surnames(rng, ref, origin)
    # a few double-barrelled birth surnames (mostly British)
    dbl = rng.random(m) < np.where(origin == ref.origins.index("british"), 0.025, 0.004)
    second = _surnames(rng, ref, origin)
    own_surname[dbl] = [
        f"{a}-{b}" for a, b in zip(own_surname[dbl], second[dbl], strict=True) if True
    ]
    hh_surname = own_surname[start]
    surname_birth = own_surname.copy()
    surname_married = np.empty(m, dtype=object)
    name_change = np.full(m, np.iinfo(np.int32).max, dtype=np.int32)
    is_kid = role == ROLE_CHILD
    # children carry the household (father's) surname; some lone-parent children another one
    kid_own = is_kid & (htype[hh] == 5) & (rng.random(m) < 0.3)
    surname_birth[is_kid & ~kid_own] = hh_surname[is_kid & ~kid_own]
    # British children of unmarried parents sometimes get both parents' names
    both = (
        is_kid
        & (partner_pos[hh] >= 0)
        & (rng.random(m) < 0.03)
        & (origin == ref.origins.index("british"))
    )
    surname_birth[both] = [
        f"{a}-{b}"
        for a, b in zip(hh_surname[both], own_surname[partner_pos[hh[both]]], strict=True)
    ]
    # married women: took the husband's surname at marriage (before or after arriving)
    wife = np.flatnonzero((role == ROLE_PARTNER) & (sex == 1) & (sex[start] == 0))
    takes = np.array([TAKES_NAME.get(ref.origins[o], 0.5) for o in origin[wife]])
    married = rng.random(len(wife)) < 0.78
    took = married & (rng.random(len(wife)) < takes)
    w_took = wife[took]
    surname_married[w_took] = hh_surname[w_took]
    age_w = age[w_took]
    years_married = np.minimum(rng.uniform(0, 30, len(w_took)), np.maximum(age_w - 19, 0.1))
    name_change[w_took] = (when[hh[w_took]] - years_married * 365.25).astype(np.int32)
    # women of some communities carry a female surname (Begum, Kaur, Bibi, Khatun)
    female = sex == 1
    for o, pool in ((ref.origins.index(x), ref.female_surnames[x]) for x in ref.female_surnames):
        sel = np.flatnonzero(
            female & (origin == o) & (~is_kid | (age >= 16)) & (rng.random(m) < 0.45)
        )
        surname_birth[sel] = pool.sample(rng, len(sel))
        surname_married[sel] = None
        name_change[sel] = np.iinfo(np.int32).max
    surname_birth = feminise(surname_birth, female)
    has_married = np.array([s is not None for s in surname_married])
    surname_married[has_married] = feminise(
        surname_married[has_married], np.ones(int(has_married.sum()), bool)
    )
    # disability (Equality Act definition), rising with age
    p_dis = np.interp(age, [0, 17, 18, 45, 65, 80, 100], [0.04, 0.07, 0.10, 0.14, 0.30, 0.45, 0.6])
    disability = rng.random(m) < p_dis
    hids = households.append(
        formed=when,
        need=np.zeros(k, np.float32),
        htype=htype,
        phone=_phones(rng, k),
        email_ok=rng.random(k) < 0.6,
    )
    pids = people.append(
        sex=sex,
        dob=dob,
        eth=eth,
        origin=origin,
        forename=forename,
        middle=middle,
        surname_birth=surname_birth,
        surname_married=surname_married,
        name_change=name_change,
        disability=disability,
        role=role,
        hh=hids[hh],
        arrived=when[hh],
        frailty=rng.normal(0, 1, m).astype(np.float32),
    )
    # partner links
    ref_pos = start[pp]
    people.col("partner")[pids[pp]] = pids[ref_pos]
    people.col("partner")[pids[ref_pos]] = pids[pp]
    # mother links for dependent children (the female parent in the household)
    mother_pos = np.where(sex[start] == 1, start, partner_pos[hh])
    kid_idx = np.flatnonzero(is_kid & (mother_pos >= 0))
    people.col("mother")[pids[kid_idx]] = pids[mother_pos[kid_idx]]
    return hids, pids


def sample_rows(rng, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One category per entry from the probability row probs[rows[i]] (vectorised)."""
    cum = np.cumsum(probs, axis=1)[rows]
    u = rng.random(len(rows))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def _phones(rng, n) -> np.ndarray:
    mobile = rng.random(n) < 0.8
    num = rng.integers(0, 1_000_000, size=n)
    area = rng.choice([7700, 7711, 7722, 7733, 7400, 7500, 7800, 7900, 7950, 7380], size=n)
    land = rng.integers(0, 10_000_000, size=n)
    return np.array(
        [
            f"0{a}{x:06d}" if mb else f"020{(7, 8, 3)[y % 3]}{y % 10_000_000:07d}"
            for a, x, y, mb in zip(
                area.tolist(), num.tolist(), land.tolist(), mobile.tolist(), strict=True
            )
        ],
        dtype=object,
    )
