-- One state per cooperative and quarter.
select tahun, triwulan, nik_koperasi, count(*) as rows_per_key
from {{ ref('int_koperasi_states_replayed') }}
group by tahun, triwulan, nik_koperasi
having count(*) > 1
