-- fct_indicator_quarterly: one row per (indicator, year, quarter)
select kode_indikator, tahun, triwulan, count(*) as rows_per_key
from {{ ref('fct_indicator_quarterly') }}
group by kode_indikator, tahun, triwulan
having count(*) > 1
