{#- The quarters built whose figures fct_indicator_basis and fct_budget_basis explain record by
    record: that of the latest publication known at K, when the build covers it; with var
    basis_quarters "built", every quarter built (`kumkm explain` of any quarter). A basis holds a row
    per business or cooperative counted (3.6 million for one quarter at 100 times the sample), so a
    refresh builds it for the figures the department printed, not for every quarter. -#}
{% macro explained_quarters() -%}
    select quarters.*
    from {{ ref('int_quarters') }} as quarters
    {%- if var('basis_quarters') != 'built' %}
    inner join {{ ref('stg_publish__publications') }} as publications
        on publications.tahun = quarters.tahun
        and publications.triwulan = quarters.triwulan
    where publications.publication_id = (
        select max(latest.publication_id) from {{ ref('stg_publish__publications') }} as latest
    )
    {%- endif %}
{%- endmacro %}
