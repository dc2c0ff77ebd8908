{#- Per quarter end D of int_quarters and kecamatan: the registered micro businesses, entrepreneurs
    and registered street vendors on D, and the entrepreneurs on the same day a year earlier
    (indicators.md, Businesses), summed from the steps of every quarter up to D's. -#}
with hari as (
    select tahun, triwulan, as_of_date from {{ ref('int_quarters') }}
),

langkah as (
    select * from {{ ref('int_umkm_counts_stepped') }}
),

kecamatan as (
    select kecamatan from {{ ref('kecamatan') }}
),

hitungan as (
    select
        hari.tahun,
        hari.triwulan,
        langkah.kecamatan,
        sum(case when langkah.hitungan = 'usaha_mikro_terdata' then langkah.langkah else 0 end) as usaha_mikro_terdata,
        sum(case when langkah.hitungan = 'wirausaha' then langkah.langkah else 0 end) as wirausaha,
        sum(case when langkah.hitungan = 'pkl_terdaftar' then langkah.langkah else 0 end) as pkl_terdaftar,
        sum(
            case
                when langkah.hitungan = 'wirausaha'
                    and langkah.tahun * 10 + langkah.triwulan <= (hari.tahun - 1) * 10 + hari.triwulan
                    then langkah.langkah
                else 0
            end
        ) as wirausaha_tahun_lalu
    from hari
    inner join langkah
        on langkah.tahun * 10 + langkah.triwulan <= hari.tahun * 10 + hari.triwulan
    group by hari.tahun, hari.triwulan, langkah.kecamatan
)

select
    hari.tahun,
    hari.triwulan,
    hari.as_of_date,
    kecamatan.kecamatan,
    cast(coalesce(hitungan.usaha_mikro_terdata, 0) as integer) as usaha_mikro_terdata,
    cast(coalesce(hitungan.wirausaha, 0) as integer) as wirausaha,
    cast(coalesce(hitungan.pkl_terdaftar, 0) as integer) as pkl_terdaftar,
    cast(coalesce(hitungan.wirausaha_tahun_lalu, 0) as integer) as wirausaha_tahun_lalu
from hari
cross join kecamatan
left join hitungan
    on hitungan.tahun = hari.tahun
    and hitungan.triwulan = hari.triwulan
    and hitungan.kecamatan = kecamatan.kecamatan
