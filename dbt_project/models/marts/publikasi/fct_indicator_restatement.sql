{#- One row per published figure whose current value (fct_indicator_quarterly, as known at K)
    differs from the published one, with its cause: the events ingested after the publication's
    knowledge time that feed the indicator's quarter and win now. -#}
with published as (
    select * from {{ ref('fct_indicator_published') }}
),

current_figures as (
    select * from {{ ref('fct_indicator_quarterly') }}
),

restated as (
    select
        published.*,
        current_figures.nilai_dibulatkan as nilai_kini,
        current_figures.capaian_pct as capaian_pct_kini,
        current_figures.predikat as predikat_kini,
        current_figures.known_at as known_at_kini
    from published
    inner join current_figures
        on current_figures.kode_indikator = published.kode_indikator
        and current_figures.tahun = published.tahun
        and current_figures.triwulan = published.triwulan
    where current_figures.nilai_dibulatkan is distinct from published.nilai_dibulatkan
),

causes as (
    select
        restated.publication_id,
        restated.kode_indikator,
        inputs.source,
        inputs.kind,
        inputs.record_key,
        inputs.source_file,
        inputs.row_number,
        inputs.extracted_on,
        inputs.ingested_at
    from restated
    inner join {{ ref('int_indicator_input_events') }} as inputs
        on inputs.kode_indikator = restated.kode_indikator
        and inputs.ingested_at > restated.known_at
        and {{ feeds_quarter('inputs', 'restated.tahun', 'restated.triwulan', 'restated.as_of_date') }}
),

explained as (
    select
        publication_id,
        kode_indikator,
        count(*) as jumlah_penyebab,
        {{ ordered_string_agg(
            "source || '/' || source_file || coalesce(' row ' || row_number, '')
                || ' (extracted ' || cast(extracted_on as " ~ dbt.type_string() ~ ") || ')'",
            "'; '", ['ingested_at', 'source_file', 'row_number']) }} as penyebab,
        {{ ordered_list(struct_of(['source', 'kind', 'record_key', 'source_file', 'row_number',
                                   'extracted_on', 'ingested_at']),
                        ['ingested_at', 'source_file', 'row_number']) }} as penyebab_rinci
    from causes
    group by publication_id, kode_indikator
)

select
    restated.publication_id,
    restated.dokumen,
    restated.known_at,
    restated.kode_indikator,
    restated.nama_indikator,
    restated.tahun,
    restated.triwulan,
    restated.nilai_dibulatkan as nilai_terbit,
    restated.nilai_kini,
    restated.nilai_kini - restated.nilai_dibulatkan as selisih,
    restated.capaian_pct as capaian_pct_terbit,
    restated.capaian_pct_kini,
    restated.predikat as predikat_terbit,
    restated.predikat_kini,
    restated.known_at_kini,
    coalesce(explained.jumlah_penyebab, 0) as jumlah_penyebab,
    explained.penyebab,
    explained.penyebab_rinci
from restated
left join explained
    on explained.publication_id = restated.publication_id
    and explained.kode_indikator = restated.kode_indikator
