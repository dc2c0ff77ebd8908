{#- Numerator and denominator of the business indicators (indicators.md, Businesses and Catalogue)
    for every quarter end D to build; the value numerator / denominator x 100 is computed later. -#}
with hari as (
    select * from {{ ref('int_quarters') }}
),

keadaan_usaha as (
    select * from {{ ref('int_umkm_states_replayed') }}
),

pendataan as (
    select * from {{ ref('int_umkm_pendataan') }}
),

pembinaan_tahunan as (
    select * from {{ ref('int_umkm_pembinaan_tahunan') }}
),

hitungan as (
    select
        keadaan_usaha.tahun,
        keadaan_usaha.triwulan,
        sum(case when keadaan_usaha.is_mikro_terdata then 1 else 0 end) as usaha_mikro_terdata,
        sum(case when keadaan_usaha.is_wirausaha then 1 else 0 end) as wirausaha,
        sum(case when keadaan_usaha.is_naik_kelas then 1 else 0 end) as usaha_naik_kelas,
        sum(case when keadaan_usaha.is_pkl_terdaftar then 1 else 0 end) as pkl_terdaftar,
        sum(case when keadaan_usaha.is_pkl_diberdayakan then 1 else 0 end) as pkl_diberdayakan,
        -- the state on D is the latest observation of the year to date when it is dated in year N
        sum(
            case
                when keadaan_usaha.is_mikro_terdata
                    and keadaan_usaha.is_dibina
                    and keadaan_usaha.tanggal_pendataan >= hari.year_start
                    then coalesce(keadaan_usaha.omzet_tahunan, 0)
                else 0
            end
        ) as volume_usaha
    from keadaan_usaha
    inner join hari
        on hari.tahun = keadaan_usaha.tahun
        and hari.triwulan = keadaan_usaha.triwulan
    group by keadaan_usaha.tahun, keadaan_usaha.triwulan
),

keadaan_tahun_lalu as (
    -- the replay one year before D, which int_quarters may not hold
    select
        hari.tahun,
        hari.triwulan,
        hari.previous_year_start,
        hari.previous_year_as_of_date,
        pendataan.id_umkm,
        pendataan.tanggal_pendataan,
        pendataan.omzet_tahunan,
        coalesce(pendataan.wirausaha_sejak <= hari.previous_year_as_of_date, false) as is_wirausaha
    from hari
    inner join pendataan
        on pendataan.tanggal_pendataan <= hari.previous_year_as_of_date
        and hari.previous_year_as_of_date < pendataan.berlaku_sampai
),

wirausaha_tahun_lalu as (
    select
        tahun,
        triwulan,
        sum(case when is_wirausaha then 1 else 0 end) as wirausaha
    from keadaan_tahun_lalu
    group by tahun, triwulan
),

volume_usaha_tahun_lalu as (
    -- same businesses as this year's volume (registered micro on D), facilitated in last year's period
    select
        keadaan_tahun_lalu.tahun,
        keadaan_tahun_lalu.triwulan,
        sum(coalesce(keadaan_tahun_lalu.omzet_tahunan, 0)) as volume_usaha
    from keadaan_tahun_lalu
    inner join keadaan_usaha
        on keadaan_usaha.id_umkm = keadaan_tahun_lalu.id_umkm
        and keadaan_usaha.tahun = keadaan_tahun_lalu.tahun
        and keadaan_usaha.triwulan = keadaan_tahun_lalu.triwulan
    inner join pembinaan_tahunan
        on pembinaan_tahunan.id_umkm = keadaan_tahun_lalu.id_umkm
        and pembinaan_tahunan.tahun = keadaan_tahun_lalu.tahun - 1
    where keadaan_usaha.is_mikro_terdata
        and pembinaan_tahunan.pembinaan_pertama <= keadaan_tahun_lalu.previous_year_as_of_date
        and keadaan_tahun_lalu.tanggal_pendataan >= keadaan_tahun_lalu.previous_year_start
    group by keadaan_tahun_lalu.tahun, keadaan_tahun_lalu.triwulan
),

ringkasan as (
    -- exact decimals from here on, so that counts and sums of Rp share one type in the union
    select
        hari.tahun,
        hari.triwulan,
        hari.as_of_date,
        cast(coalesce(hitungan.usaha_mikro_terdata, 0) as decimal(38, 6)) as usaha_mikro_terdata,
        cast(coalesce(hitungan.wirausaha, 0) as decimal(38, 6)) as wirausaha,
        cast(coalesce(hitungan.usaha_naik_kelas, 0) as decimal(38, 6)) as usaha_naik_kelas,
        cast(coalesce(hitungan.pkl_terdaftar, 0) as decimal(38, 6)) as pkl_terdaftar,
        cast(coalesce(hitungan.pkl_diberdayakan, 0) as decimal(38, 6)) as pkl_diberdayakan,
        cast(coalesce(hitungan.volume_usaha, 0) as decimal(38, 6)) as volume_usaha,
        cast(coalesce(wirausaha_tahun_lalu.wirausaha, 0) as decimal(38, 6)) as wirausaha_tahun_lalu,
        cast(coalesce(volume_usaha_tahun_lalu.volume_usaha, 0) as decimal(38, 6)) as volume_usaha_tahun_lalu
    from hari
    left join hitungan
        on hitungan.tahun = hari.tahun and hitungan.triwulan = hari.triwulan
    left join wirausaha_tahun_lalu
        on wirausaha_tahun_lalu.tahun = hari.tahun and wirausaha_tahun_lalu.triwulan = hari.triwulan
    left join volume_usaha_tahun_lalu
        on volume_usaha_tahun_lalu.tahun = hari.tahun and volume_usaha_tahun_lalu.triwulan = hari.triwulan
),

indikator as (
    select 'IKU-02' as kode_indikator, tahun, triwulan, as_of_date,
        usaha_naik_kelas as numerator, usaha_mikro_terdata as denominator
    from ringkasan
    union all
    select 'PRG-07', tahun, triwulan, as_of_date,
        pkl_diberdayakan, pkl_terdaftar
    from ringkasan
    union all
    select 'PRG-08A', tahun, triwulan, as_of_date,
        wirausaha, usaha_mikro_terdata
    from ringkasan
    union all
    select 'PRG-08B', tahun, triwulan, as_of_date,
        wirausaha - wirausaha_tahun_lalu, wirausaha_tahun_lalu
    from ringkasan
    union all
    select 'RPD-03', tahun, triwulan, as_of_date,
        volume_usaha - volume_usaha_tahun_lalu, volume_usaha_tahun_lalu
    from ringkasan
)

select
    cast(kode_indikator as {{ dbt.type_string() }}) as kode_indikator,
    tahun,
    triwulan,
    as_of_date,
    cast(numerator as decimal(38, 6)) as numerator,
    cast(denominator as decimal(38, 6)) as denominator
from indikator
