{#- Numerator and denominator of the business indicators (indicators.md, Businesses and Catalogue)
    for every quarter end D to build; the value numerator / denominator x 100 is computed later. -#}
with hari as (
    select * from {{ ref('int_quarters') }}
),

jumlah as (
    select
        tahun,
        triwulan,
        sum(usaha_mikro_terdata) as usaha_mikro_terdata,
        sum(wirausaha) as wirausaha,
        sum(pkl_terdaftar) as pkl_terdaftar,
        sum(wirausaha_tahun_lalu) as wirausaha_tahun_lalu
    from {{ ref('int_umkm_counts_replayed') }}
    group by tahun, triwulan
),

disorot as (
    select
        tahun,
        triwulan,
        sum(case when is_naik_kelas then 1 else 0 end) as usaha_naik_kelas,
        sum(case when is_pkl_diberdayakan then 1 else 0 end) as pkl_diberdayakan,
        -- the state on D is the latest observation of the year to date when it is dated in year N
        sum(
            case
                when is_mikro_terdata and is_dibina and is_didata_tahun_ini then coalesce(omzet_tahunan, 0)
                else 0
            end
        ) as volume_usaha,
        -- same businesses as this year's volume (registered micro on D), facilitated in last year's period
        sum(case when is_mikro_terdata then coalesce(omzet_tahunan_tahun_lalu, 0) else 0 end)
            as volume_usaha_tahun_lalu
    from {{ ref('int_umkm_states_replayed') }}
    group by tahun, triwulan
),

ringkasan as (
    -- exact decimals from here on, so that counts and sums of Rp share one type in the union
    select
        hari.tahun,
        hari.triwulan,
        hari.as_of_date,
        cast(coalesce(jumlah.usaha_mikro_terdata, 0) as decimal(38, 6)) as usaha_mikro_terdata,
        cast(coalesce(jumlah.wirausaha, 0) as decimal(38, 6)) as wirausaha,
        cast(coalesce(disorot.usaha_naik_kelas, 0) as decimal(38, 6)) as usaha_naik_kelas,
        cast(coalesce(jumlah.pkl_terdaftar, 0) as decimal(38, 6)) as pkl_terdaftar,
        cast(coalesce(disorot.pkl_diberdayakan, 0) as decimal(38, 6)) as pkl_diberdayakan,
        cast(coalesce(disorot.volume_usaha, 0) as decimal(38, 6)) as volume_usaha,
        cast(coalesce(jumlah.wirausaha_tahun_lalu, 0) as decimal(38, 6)) as wirausaha_tahun_lalu,
        cast(coalesce(disorot.volume_usaha_tahun_lalu, 0) as decimal(38, 6)) as volume_usaha_tahun_lalu
    from hari
    left join jumlah
        on jumlah.tahun = hari.tahun and jumlah.triwulan = hari.triwulan
    left join disorot
        on disorot.tahun = hari.tahun and disorot.triwulan = hari.triwulan
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
