{#- Per quarter end D to build, each business facilitated or moved up in D's year by D, or facilitated
    in the year before by the same day a year earlier (indicators.md, Businesses): the businesses
    whose state on D int_umkm_states_replayed replays. Its own table, so that the replay joins it to
    the observations by business; inside one query the planner joins every observation to every
    quarter first. -#}
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
)

select * from usaha_disorot
