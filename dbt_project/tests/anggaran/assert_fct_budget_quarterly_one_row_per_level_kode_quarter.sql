select level, kode, tahun, triwulan, count(*) as row_count
from {{ ref('fct_budget_quarterly') }}
group by level, kode, tahun, triwulan
having count(*) > 1
