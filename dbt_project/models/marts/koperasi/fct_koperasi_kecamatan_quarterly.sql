{{ config(materialized='incremental', **quarters_replaced()) }}

{#- Cooperative counts per kecamatan and quarter, over the cooperatives active on D by their
    kecamatan on D. Every kecamatan appears in every quarter built. -#}
with quarters as (
    select tahun, triwulan, as_of_date from {{ ref('int_quarters') }}
),

kecamatan as (
    select kecamatan from {{ ref('kecamatan') }}
),

koperasi_aktif as (
    select *
    from {{ ref('int_koperasi_states_replayed') }}
    where is_aktif
),

koperasi_aktif_per_kecamatan as (
    select
        tahun,
        triwulan,
        kecamatan,
        count(*) as koperasi_aktif,
        sum(case when is_berkualitas then 1 else 0 end) as koperasi_berkualitas,
        sum(case when has_nib_simpan_pinjam then 1 else 0 end) as koperasi_nib_simpan_pinjam,
        sum(case when is_diperiksa then 1 else 0 end) as koperasi_diperiksa,
        sum(case when is_dinilai then 1 else 0 end) as koperasi_dinilai,
        sum(jumlah_pengurus) as jumlah_pengurus_aktif,
        sum(peserta_diklat) as peserta_diklat,
        sum(volume_usaha_ytd) as volume_usaha_ytd
    from koperasi_aktif
    group by tahun, triwulan, kecamatan
)

select
    kecamatan.kecamatan,
    quarters.tahun,
    quarters.triwulan,
    quarters.as_of_date,
    cast(coalesce(counts.koperasi_aktif, 0) as integer) as koperasi_aktif,
    cast(coalesce(counts.koperasi_berkualitas, 0) as integer) as koperasi_berkualitas,
    cast(coalesce(counts.koperasi_nib_simpan_pinjam, 0) as integer) as koperasi_nib_simpan_pinjam,
    cast(coalesce(counts.koperasi_diperiksa, 0) as integer) as koperasi_diperiksa,
    cast(coalesce(counts.koperasi_dinilai, 0) as integer) as koperasi_dinilai,
    cast(coalesce(counts.jumlah_pengurus_aktif, 0) as bigint) as jumlah_pengurus_aktif,
    cast(coalesce(counts.peserta_diklat, 0) as bigint) as peserta_diklat,
    cast(coalesce(counts.volume_usaha_ytd, 0) as decimal(38, 2)) as volume_usaha_ytd
from quarters
cross join kecamatan
left join koperasi_aktif_per_kecamatan as counts
    on counts.tahun = quarters.tahun
    and counts.triwulan = quarters.triwulan
    and counts.kecamatan = kecamatan.kecamatan
