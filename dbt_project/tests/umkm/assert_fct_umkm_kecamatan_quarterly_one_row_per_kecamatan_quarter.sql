-- Exactly one row per (kecamatan, quarter built): all 12 kecamatan every quarter, none doubled.
with expected as (
    select kecamatan.kecamatan, quarters.tahun, quarters.triwulan
    from {{ ref('int_quarters') }} as quarters
    cross join {{ ref('kecamatan') }} as kecamatan
)

select expected.kecamatan, expected.tahun, expected.triwulan, count(fct.kecamatan) as rows_per_key
from expected
left join {{ ref('fct_umkm_kecamatan_quarterly') }} as fct
    on fct.kecamatan = expected.kecamatan
    and fct.tahun = expected.tahun
    and fct.triwulan = expected.triwulan
group by expected.kecamatan, expected.tahun, expected.triwulan
having count(fct.kecamatan) <> 1
