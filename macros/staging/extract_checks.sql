{#-
    Checks of the raw files themselves, before any row is read. A missing file, a zero-byte
    file or a missing column stops the build with one clear message naming the file (and
    the column). A header-only file is fine (zero rows); a UTF-8 byte-order mark and
    Windows line endings are read correctly by the CSV reader.

    check_extract(service, source_file) runs at the top of each base model (so it also
    runs, first, when the model's unit tests compile); `dbt run-operation
    check_raw_extracts` checks every extract at once.
-#}

{#- The source node of an extract, from the graph. -#}
{% macro staging_source_node(service, source_file) -%}
    {%- set unique_id = 'source.' ~ project_name ~ '.' ~ service ~ '.' ~ source_file -%}
    {%- set node = graph.sources.get(unique_id) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("No source " ~ service ~ "." ~ source_file ~ " is declared in models/staging/" ~ service ~ "/_" ~ service ~ "__sources.yml") }}
    {%- endif -%}
    {{ return(node) }}
{%- endmacro %}

{#- The path of an extract's file, as its source's external_location names it. -#}
{% macro staging_source_path(node) -%}
    {%- set location = node.meta.get('external_location') or node.config.get('meta', {}).get('external_location') -%}
    {%- set location = location.replace('{identifier}', node.identifier).replace('{name}', node.name) -%}
    {%- set match = modules.re.search("read_csv[(][ ]*'([^']+)'", location) -%}
    {%- if not match -%}
        {{ exceptions.raise_compiler_error("Source " ~ node.source_name ~ "." ~ node.name ~ ": external_location must be read_csv('<path>', ...), not " ~ location) }}
    {%- endif -%}
    {{ return({'path': match.group(1), 'location': location}) }}
{%- endmacro %}

{% macro check_extract(service, source_file) -%}
    {#- not in unit tests: their sources are fixtures -#}
    {%- if execute and model.resource_type != 'unit_test' -%}
        {%- set node = staging_source_node(service, source_file) -%}
        {%- set where = staging_source_path(node) -%}
        {%- set path = where.path -%}
        {%- set label = "Raw extract " ~ path ~ " (source " ~ service ~ "." ~ source_file ~ ")" -%}
        {%- set found = run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] -%}
        {%- if found == 0 -%}
            {{ exceptions.raise_compiler_error(label ~ ": file not found. Check var raw_path (now '" ~ var('raw_path') ~ "') and that the service delivered " ~ source_file ~ ".csv.") }}
        {%- endif -%}
        {%- set size = run_query("select size from read_blob('" ~ path ~ "')").columns[0].values()[0] -%}
        {%- if size == 0 -%}
            {{ exceptions.raise_compiler_error(label ~ ": the file is empty (0 bytes). An extract with no rows must still carry its header line.") }}
        {%- endif -%}
        {%- set described = run_query("describe select * from " ~ where.location) -%}
        {%- set found_columns = described.columns[0].values() | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for column in node.columns.values() -%}
            {%- if column.name | lower not in found_columns -%}
                {%- do missing.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(label ~ ": missing column" ~ ('s ' if missing | length > 1 else ' ') ~ missing | join(', ') ~ ". The header holds: " ~ (described.columns[0].values() | join(', ')) ~ ".") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- dbt run-operation check_raw_extracts: every extract's file and header. -#}
{% macro check_raw_extracts() -%}
    {%- for extract in staging_extracts() -%}
        {%- do check_extract(extract.service, extract.source_file) -%}
    {%- endfor -%}
    {{ log("All " ~ staging_extracts() | length ~ " raw extracts are present with their columns.", info=true) }}
{%- endmacro %}
