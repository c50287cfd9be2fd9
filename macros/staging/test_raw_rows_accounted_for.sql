{#-
    Data test on audit.rec_extract_counts: fails for every extract whose raw rows are not
    exactly staged + rejected + expired (a row lost, or counted twice).
-#}
{% test raw_rows_accounted_for(model) %}
    select *
    from {{ model }}
    where raw_rows <> staged_rows + rejected_rows + expired_rows
{% endtest %}
