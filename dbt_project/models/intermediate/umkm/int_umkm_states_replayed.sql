{#- The as-of replay (indicators.md, Businesses) of the businesses whose state on D matters beyond the
    counts of int_umkm_counts_replayed: for every quarter end D to build, each business facilitated
    or moved up in D's year by D, or facilitated in the year before by the same day a year earlier
    (usaha_disorot), with its state on D (its latest observation on or before D) and a year before D. -#}
with hari as (
    select tahun, triwulan, as_of_date, year_start, previous_year_start, previous_year_as_of_date
    from {{ ref('int_quarters') }}
),

pembinaan as (
    select id_umkm, cast(extract(year from tanggal) as integer) as tahun, tanggal
    from {{ ref('stg_sip3__pembinaans') }}
),

peristiwa_tahunan as (
    select id_umkm, tahun, tanggal as pembinaan_pertama, cast(null as date) as naik_kelas_pertama,
        cast(null as date) as pembinaan_tahun_lalu_pertama
    from pembinaan
    union all
    select id_umkm, tahun + 1, cast(null as date), cast(null as date), tanggal
    from pembinaan
    union all
    select
        id_umkm,
        cast(extract(year from tanggal_pendataan) as integer),
        cast(null as date),
        tanggal_pendataan,
        cast(null as date)
    from {{ ref('int_umkm_pendataan') }}
    where is_naik_kelas
),

usaha_tahunan as (
    -- per business and year N: its first pembinaan and first move up in N (counted once per year)
    -- and its first pembinaan in N - 1; "at least one pembinaan in year N on or before D" is then
    -- pembinaan_pertama <= D
    select
        id_umkm,
        tahun,
        min(pembinaan_pertama) as pembinaan_pertama,
        min(naik_kelas_pertama) as naik_kelas_pertama,
        min(pembinaan_tahun_lalu_pertama) as pembinaan_tahun_lalu_pertama
    from peristiwa_tahunan
    group by id_umkm, tahun
),

-- per D, the businesses facilitated or moved up in N by D, or facilitated in N - 1 by a year before D
usaha_disorot as (
    select
        hari.tahun,
        hari.triwulan,
        hari.as_of_date,
        hari.year_start,
        hari.previous_year_start,
        hari.previous_year_as_of_date,
        usaha_tahunan.id_umkm,
        coalesce(usaha_tahunan.pembinaan_pertama <= hari.as_of_date, false) as is_dibina,
        coalesce(usaha_tahunan.naik_kelas_pertama <= hari.as_of_date, false) as has_naik_kelas,
        coalesce(usaha_tahunan.pembinaan_tahun_lalu_pertama <= hari.previous_year_as_of_date, false)
            as is_dibina_tahun_lalu,
        -- the lineage of is_dibina and has_naik_kelas: the first pembinaan, the move-up observation
        case when usaha_tahunan.pembinaan_pertama <= hari.as_of_date then usaha_tahunan.pembinaan_pertama end
            as pembinaan_pertama,
        case when usaha_tahunan.naik_kelas_pertama <= hari.as_of_date then usaha_tahunan.naik_kelas_pertama end
            as naik_kelas_pertama
    from hari
    inner join usaha_tahunan
        on usaha_tahunan.tahun = hari.tahun
    where usaha_tahunan.pembinaan_pertama <= hari.as_of_date
        or usaha_tahunan.naik_kelas_pertama <= hari.as_of_date
        or usaha_tahunan.pembinaan_tahun_lalu_pertama <= hari.previous_year_as_of_date
),

pendataan as (
    select * from {{ ref('int_umkm_pendataan') }}
),

keadaan_usaha as (
    select
        usaha_disorot.*,
        pada_d.tanggal_pendataan,
        pada_d.kecamatan,
        pada_d.skala,
        pada_d.omzet_tahunan,
        coalesce(pada_d.terdata_sejak <= usaha_disorot.as_of_date, false) as is_mikro_terdata,
        pada_d.is_pkl_terdaftar
    from usaha_disorot
    inner join pendataan as pada_d
        on pada_d.id_umkm = usaha_disorot.id_umkm
        and pada_d.tanggal_pendataan <= usaha_disorot.as_of_date
        and usaha_disorot.as_of_date < pada_d.berlaku_sampai
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
    keadaan_usaha.is_mikro_terdata and keadaan_usaha.has_naik_kelas as is_naik_kelas,
    keadaan_usaha.is_pkl_terdaftar,
    keadaan_usaha.is_dibina,
    keadaan_usaha.is_pkl_terdaftar and keadaan_usaha.is_dibina as is_pkl_diberdayakan,
    keadaan_usaha.pembinaan_pertama,
    case when keadaan_usaha.is_mikro_terdata then keadaan_usaha.naik_kelas_pertama end as naik_kelas_pertama,
    keadaan_usaha.tanggal_pendataan >= keadaan_usaha.year_start as is_didata_tahun_ini,
    -- a year before D: the state then, when the business was facilitated in N - 1 by that day and
    -- observed since 1 January N - 1
    tahun_lalu.tanggal_pendataan as tanggal_pendataan_tahun_lalu,
    tahun_lalu.omzet_tahunan as omzet_tahunan_tahun_lalu
from keadaan_usaha
left join pendataan as tahun_lalu
    on keadaan_usaha.is_dibina_tahun_lalu
    and tahun_lalu.id_umkm = keadaan_usaha.id_umkm
    and tahun_lalu.tanggal_pendataan >= keadaan_usaha.previous_year_start
    and tahun_lalu.tanggal_pendataan <= keadaan_usaha.previous_year_as_of_date
    and keadaan_usaha.previous_year_as_of_date < tahun_lalu.berlaku_sampai
