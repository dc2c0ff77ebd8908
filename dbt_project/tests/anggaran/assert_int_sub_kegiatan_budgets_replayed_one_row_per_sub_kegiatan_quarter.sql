select tahun, triwulan, kode_sub_kegiatan, count(*) as row_count
from {{ ref('int_sub_kegiatan_budgets_replayed') }}
group by tahun, triwulan, kode_sub_kegiatan
having count(*) > 1
