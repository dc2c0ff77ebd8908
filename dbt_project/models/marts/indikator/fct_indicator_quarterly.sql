{{ config(materialized='incremental', **quarters_replaced()) }}

{#- One row per (indicator, year, quarter) built, as known at K. The value is numerator ÷
    denominator × 100 for every computed indicator (a ratio, a growth rate or an absorption);
    a manual indicator takes the figure delivered for its quarter. -#}
with computed as (
    select kode_indikator, tahun, triwulan, as_of_date, numerator, denominator
    from {{ ref('int_koperasi_indicators_computed') }}
    union all
    select kode_indikator, tahun, triwulan, as_of_date, numerator, denominator
    from {{ ref('int_umkm_indicators_computed') }}
    union all
    select kode_indikator, tahun, triwulan, as_of_date, numerator, denominator
    from {{ ref('int_anggaran_indicators_computed') }}
),

manual as (
    select
        indikator.kode_indikator,
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        delivered.nilai
    from {{ ref('int_quarters') }} as quarters
    cross join {{ ref('indikator') }} as indikator
    left join {{ ref('stg_manual__indikators') }} as delivered
        on delivered.kode_indikator = indikator.kode_indikator
        and delivered.tahun = quarters.tahun
        and delivered.triwulan = quarters.triwulan
    where indikator.metode = 'manual'
),

valued as (
    select
        computed.kode_indikator,
        computed.tahun,
        computed.triwulan,
        computed.as_of_date,
        computed.numerator,
        computed.denominator,
        {{ percent_half_up('computed.numerator', 'computed.denominator', 10) }} as nilai,
        {{ percent_half_up_to('computed.numerator', 'computed.denominator', 'indikator.desimal') }}
            as nilai_dibulatkan
    from computed
    inner join {{ ref('indikator') }} as indikator
        on computed.kode_indikator = indikator.kode_indikator
    union all
    select
        manual.kode_indikator,
        manual.tahun,
        manual.triwulan,
        manual.as_of_date,
        cast(null as decimal(38, 6)),
        cast(null as decimal(38, 6)),
        manual.nilai,
        {{ divide_half_up_to('manual.nilai', '1', 'indikator.desimal') }}
    from manual
    inner join {{ ref('indikator') }} as indikator
        on manual.kode_indikator = indikator.kode_indikator
),

achieved as (
    select
        valued.*,
        indikator.nama_indikator,
        indikator.level,
        indikator.kode_program,
        indikator.satuan,
        target_indikator.target,
        cast({{ capaian('valued.nilai_dibulatkan', 'target_indikator.target', 'indikator.lebih_tinggi_lebih_baik') }}
            as decimal(10, 2)) as capaian_pct
    from valued
    inner join {{ ref('indikator') }} as indikator
        on valued.kode_indikator = indikator.kode_indikator
    left join {{ ref('target_indikator') }} as target_indikator
        on valued.kode_indikator = target_indikator.kode_indikator
        and valued.tahun = target_indikator.tahun
)

select
    kode_indikator,
    nama_indikator,
    level,
    kode_program,
    tahun,
    triwulan,
    as_of_date,
    numerator,
    denominator,
    nilai,
    nilai_dibulatkan,
    satuan,
    target,
    capaian_pct,
    {{ predikat('capaian_pct') }} as predikat,
    {{ knowledge_time() }} as known_at
from achieved
