-- One row per record key (id_umkm, tanggal_pendataan), so each business's validity periods never overlap.
select id_umkm, tanggal_pendataan, count(*) as rows_per_key
from {{ ref('int_umkm_pendataan') }}
group by id_umkm, tanggal_pendataan
having count(*) > 1
