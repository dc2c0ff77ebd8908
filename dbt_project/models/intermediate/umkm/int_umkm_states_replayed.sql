{#- The as-of replay (indicators.md, Businesses): for every quarter end D to build and every business
    observed on or before D, its state on D, read from its latest observation on or before D. -#}
with hari as (
    select tahun, triwulan, as_of_date from {{ ref('int_quarters') }}
),

pendataan as (
    select * from {{ ref('int_umkm_pendataan') }}
),

peristiwa_tahunan as (
    select id_umkm, tahun, pembinaan_pertama, cast(null as date) as naik_kelas_pertama
    from {{ ref('int_umkm_pembinaan_tahunan') }}
    union all
    select
        id_umkm,
        cast(extract(year from tanggal_pendataan) as integer) as tahun,
        cast(null as date) as pembinaan_pertama,
        tanggal_pendataan as naik_kelas_pertama
    from pendataan
    where is_naik_kelas
),

usaha_tahunan as (
    -- per business and year: first pembinaan and first move up (counted once per year);
    -- one row per key, so the replay needs a single join for both
    select
        id_umkm,
        tahun,
        min(pembinaan_pertama) as pembinaan_pertama,
        min(naik_kelas_pertama) as naik_kelas_pertama
    from peristiwa_tahunan
    group by id_umkm, tahun
),

keadaan_usaha as (
    -- the observation whose validity [tanggal_pendataan, berlaku_sampai) holds D
    select
        hari.tahun,
        hari.triwulan,
        hari.as_of_date,
        pendataan.id_umkm,
        pendataan.tanggal_pendataan,
        pendataan.kecamatan,
        pendataan.skala,
        pendataan.omzet_tahunan,
        coalesce(pendataan.terdata_sejak <= hari.as_of_date, false) as is_mikro_terdata,
        coalesce(pendataan.wirausaha_sejak <= hari.as_of_date, false) as is_wirausaha,
        pendataan.is_pkl_terdaftar
    from hari
    inner join pendataan
        on pendataan.tanggal_pendataan <= hari.as_of_date
        and hari.as_of_date < pendataan.berlaku_sampai
)

select
    keadaan_usaha.tahun,
    keadaan_usaha.triwulan,
    keadaan_usaha.as_of_date,
    keadaan_usaha.id_umkm,
    keadaan_usaha.tanggal_pendataan,
    keadaan_usaha.kecamatan,
    keadaan_usaha.skala,
    keadaan_usaha.omzet_tahunan,
    keadaan_usaha.is_mikro_terdata,
    keadaan_usaha.is_wirausaha,
    coalesce(
        keadaan_usaha.is_mikro_terdata and usaha_tahunan.naik_kelas_pertama <= keadaan_usaha.as_of_date,
        false
    ) as is_naik_kelas,
    keadaan_usaha.is_pkl_terdaftar,
    coalesce(usaha_tahunan.pembinaan_pertama <= keadaan_usaha.as_of_date, false) as is_dibina,
    coalesce(
        keadaan_usaha.is_pkl_terdaftar and usaha_tahunan.pembinaan_pertama <= keadaan_usaha.as_of_date,
        false
    ) as is_pkl_diberdayakan
from keadaan_usaha
left join usaha_tahunan
    on usaha_tahunan.id_umkm = keadaan_usaha.id_umkm
    and usaha_tahunan.tahun = keadaan_usaha.tahun
