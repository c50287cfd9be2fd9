{#-
    single_view_person_attributes(): the person attributes every person-bearing staging model
    holds, one row per staged record:

        record_key, service, date_of_birth, sex, sex_from_title, postcode,
        ethnicity_ons18_code, has_disability

    sex is what the system records (M, F or NULL); sex_from_title is what a title implies
    where a system holds one (Mr: M; Mrs, Ms, Miss: F; Dr, Mx: NULL), a weaker signal.

    `datasets` (optional) keeps only those extracts, for a purpose that may not use the rest.

    Rendered as a CTE inside the intermediate models that turn them into something that may
    leave the layer (age, age band, ward, LSOA, ethnic group): no intermediate table ever holds
    a date of birth or a postcode. NULL where a system does not hold the field.
-#}

{%- macro single_view_person_models(datasets=none) -%}
    {#- (service, staging model, has ethnicity, has disability) for every person-bearing
        extract staging declares (staging_extracts(), macros/staging/extracts.sql), or only
        those named in `datasets` (`service.extract`, as governance/purposes.yml names them) -#}
    {%- set with_ethnicity = ['approaches', 'early_help_episodes', 'youth_offending', 'involvements', 'school_census'] -%}
    {%- set with_disability = ['involvements'] -%}
    {%- set models = [] -%}
    {%- for extract in staging_extracts() if extract.person and (
        datasets is none or extract.service ~ '.' ~ extract.source_file in datasets) -%}
        {%- do models.append((
            extract.service,
            staging_model_name(extract),
            extract.source_file in with_ethnicity,
            extract.source_file in with_disability,
        )) -%}
    {%- endfor -%}
    {{ return(models) }}
{%- endmacro -%}

{%- macro single_view_titled_models() -%}
    {{ return([
        'stg_revenues_benefits__council_tax_accounts',
        'stg_housing__tenancies',
        'stg_adults_social_care__involvements',
    ]) }}
{%- endmacro -%}

{% macro single_view_person_attributes(datasets=none) -%}
    {%- for service, model, has_ethnicity, has_disability in single_view_person_models(datasets) %}
    {%- if not loop.first %}
    union all
    {% endif %}
    select
        record_key,
        '{{ service }}' as service,
        cast(date_of_birth as date) as date_of_birth,
        cast(sex as {{ dbt.type_string() }}) as sex,
        {% if model in single_view_titled_models() -%}
        case
            when title = 'Mr' then 'M'
            when title in ('Mrs', 'Ms', 'Miss') then 'F'
        end
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as sex_from_title,
        cast(postcode as {{ dbt.type_string() }}) as postcode,
        {% if has_ethnicity -%}
        cast(ethnicity_ons18_code as {{ dbt.type_string() }})
        {%- else -%}
        cast(null as {{ dbt.type_string() }})
        {%- endif %} as ethnicity_ons18_code,
        {% if has_disability -%}
        cast(has_disability as boolean)
        {%- else -%}
        cast(null as boolean)
        {%- endif %} as has_disability
    from {{ ref(model) }}
    {%- endfor %}
{%- endmacro %}
