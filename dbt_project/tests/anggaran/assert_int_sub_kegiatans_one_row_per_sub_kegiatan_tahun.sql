select tahun_anggaran, kode_sub_kegiatan, count(*) as row_count
from {{ ref('int_sub_kegiatans') }}
group by tahun_anggaran, kode_sub_kegiatan
having count(*) > 1
