-- Every indicator flag presumes the state on D it was computed for.
select tahun, triwulan, nik_koperasi
from {{ ref('int_koperasi_states_replayed') }}
where (is_berkualitas and not is_aktif)
    or (is_aktif and status_koperasi = 'Bubar')
    or tanggal_efektif > as_of_date
