select id_umkm, tahun, count(*) as rows_per_key
from {{ ref('int_umkm_pembinaan_tahunan') }}
group by id_umkm, tahun
having count(*) > 1
