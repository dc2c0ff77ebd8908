select kode_indikator, tahun, triwulan, count(*) as row_count
from {{ ref('int_anggaran_indicators_computed') }}
group by kode_indikator, tahun, triwulan
having count(*) > 1
