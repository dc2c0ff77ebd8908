{#- In Dagster, a check on int_umkm_states_replayed. -#}
{{ config(meta={'dagster': {'ref': {'name': 'int_umkm_states_replayed'}}}) }}
-- The populations nest as the rules say: a business moved up is a registered micro business, an
-- empowered street vendor a registered one that was facilitated; entrepreneurs are registered micro
-- businesses, so no kecamatan counts more of them.
select tahun, triwulan, id_umkm as kunci
from {{ ref('int_umkm_states_replayed') }}
where (is_naik_kelas and not is_mikro_terdata)
    or (is_pkl_diberdayakan and not (is_pkl_terdaftar and is_dibina))
    or tanggal_pendataan > as_of_date
union all
select tahun, triwulan, kecamatan
from {{ ref('int_umkm_counts_replayed') }}
where wirausaha > usaha_mikro_terdata or usaha_mikro_terdata < 0 or pkl_terdaftar < 0
