-- Exactly one row per (indicator, quarter built): none missing, none doubled.
with expected as (
    select indikator.kode_indikator, quarters.tahun, quarters.triwulan
    from {{ ref('int_quarters') }} as quarters
    cross join {{ ref('indikator') }} as indikator
    where indikator.kode_indikator in ('IKU-01', 'PRG-02', 'PRG-03', 'PRG-04', 'PRG-05', 'PRG-06', 'RPD-02')
)

select expected.kode_indikator, expected.tahun, expected.triwulan, count(computed.kode_indikator) as rows_per_key
from expected
left join {{ ref('int_koperasi_indicators_computed') }} as computed
    on computed.kode_indikator = expected.kode_indikator
    and computed.tahun = expected.tahun
    and computed.triwulan = expected.triwulan
group by expected.kode_indikator, expected.tahun, expected.triwulan
having count(computed.kode_indikator) <> 1
