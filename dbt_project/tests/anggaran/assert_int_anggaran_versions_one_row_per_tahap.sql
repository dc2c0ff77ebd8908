select tahun_anggaran, tahap, count(*) as row_count
from {{ ref('int_anggaran_versions') }}
group by tahun_anggaran, tahap
having count(*) > 1
