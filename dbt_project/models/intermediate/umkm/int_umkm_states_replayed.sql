{#- The as-of replay (indicators.md, Businesses) of the businesses whose state on D matters beyond the
    counts of int_umkm_counts_replayed: for every quarter end D to build, each business facilitated
    or moved up in D's year by D, or facilitated in the year before by the same day a year earlier,
    with its state on D (its latest observation on or before D) and a year before D. -#}
with usaha_disorot as (
    select * from {{ ref('int_umkm_pembinaan_replayed') }}
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
