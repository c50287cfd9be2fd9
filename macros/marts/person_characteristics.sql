{#-
    How one value per person is chosen from the values their linked records hold. Each macro
    renders a SELECT over `person_attributes` (person_key plus the single_view_person_attributes()
    columns); the caller keeps rank 1. Shared by int_residents__profiled (the single view) and
    int_residents__equalities (bias monitoring), which read different extracts.
-#}

{#- The date of birth most records hold (ties: the earliest). -#}
{% macro person_dates_of_birth_ranked(person_attributes) -%}
    select
        person_key,
        date_of_birth,
        row_number() over (
            partition by person_key order by count(*) desc, date_of_birth
        ) as dob_rank
    from {{ person_attributes }}
    where date_of_birth is not null
    group by person_key, date_of_birth
{%- endmacro %}

{#- The sex most records hold; a title counts only when no record holds a sex. -#}
{% macro person_sexes_ranked(person_attributes) -%}
    select
        person_key,
        sex,
        row_number() over (
            partition by person_key
            order by min(sex_source) asc, count(*) desc, sex asc
        ) as sex_rank
    from (
        select
            person_key,
            sex,
            1 as sex_source
        from {{ person_attributes }}
        where sex in ('M', 'F')
        union all
        select
            person_key,
            sex_from_title as sex,
            2 as sex_source
        from {{ person_attributes }}
        where sex_from_title is not null
    ) as held
    group by person_key, sex
{%- endmacro %}
