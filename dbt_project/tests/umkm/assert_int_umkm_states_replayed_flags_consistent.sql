-- The populations nest as the rules say: an entrepreneur and a business moved up are registered
-- micro businesses; an empowered street vendor is a registered one that was facilitated.
select tahun, triwulan, id_umkm
from {{ ref('int_umkm_states_replayed') }}
where (is_wirausaha and not is_mikro_terdata)
    or (is_naik_kelas and not is_mikro_terdata)
    or (is_pkl_diberdayakan and not (is_pkl_terdaftar and is_dibina))
    or tanggal_pendataan > as_of_date
