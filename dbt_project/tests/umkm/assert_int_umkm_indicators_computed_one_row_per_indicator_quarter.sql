-- Exactly one row per (indicator, quarter built): none missing, none doubled.
with expected as (
    select indikator.kode_indikator, quarters.tahun, quarters.triwulan
    from {{ ref('int_quarters') }} as quarters
    cross join {{ ref('indikator') }} as indikator
    where indikator.kode_indikator in ('IKU-02', 'PRG-07', 'PRG-08A', 'PRG-08B', 'RPD-03')
)

select expected.kode_indikator, expected.tahun, expected.triwulan, count(computed.kode_indikator) as rows_per_key
from expected
left join {{ ref('int_umkm_indicators_computed') }} as computed
    on computed.kode_indikator = expected.kode_indikator
    and computed.tahun = expected.tahun
    and computed.triwulan = expected.triwulan
group by expected.kode_indikator, expected.tahun, expected.triwulan
having count(computed.kode_indikator) <> 1
