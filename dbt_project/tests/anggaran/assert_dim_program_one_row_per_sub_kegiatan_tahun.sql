select kode_sub_kegiatan, tahun_anggaran, count(*) as row_count
from {{ ref('dim_program') }}
group by kode_sub_kegiatan, tahun_anggaran
having count(*) > 1
