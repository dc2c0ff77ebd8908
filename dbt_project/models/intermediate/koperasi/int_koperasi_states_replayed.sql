{#- The as-of replay of the cooperatives (indicators.md, Cooperatives): one row per quarter end D
    and cooperative that has a state on D, i.e. a rat row effective on or before D. -#}
with quarters as (
    select tahun, triwulan, as_of_date, year_start, previous_year_start, previous_year_as_of_date
    from {{ ref('int_quarters') }}
),

rat as (
    select * from {{ ref('stg_ods__rats') }}
),

kegiatan as (
    select * from {{ ref('stg_ods__kegiatans') }}
),

rat_effective_by_d as (
    select
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        rat.*,
        row_number() over (
            partition by quarters.as_of_date, rat.nik_koperasi
            order by rat.tanggal_efektif desc, rat.tahun_buku desc
        ) as recency
    from quarters
    inner join rat
        on rat.tanggal_efektif <= quarters.as_of_date
),

koperasi_state as (
    select * from rat_effective_by_d where recency = 1
),

rat_held_by_d as (
    select
        quarters.tahun,
        quarters.triwulan,
        quarters.year_start,
        quarters.previous_year_start,
        quarters.previous_year_as_of_date,
        rat.nik_koperasi,
        rat.tahun_buku,
        rat.tanggal_rat,
        rat.aset,
        rat.volume_usaha
    from quarters
    inner join rat
        on rat.tanggal_rat <= quarters.as_of_date
),

rat_activity as (
    select
        tahun,
        triwulan,
        nik_koperasi,
        sum(case when tanggal_rat >= make_date(tahun - 2, 1, 1) then 1 else 0 end) as rat_since_n_minus_2,
        sum(case when tanggal_rat >= year_start then volume_usaha else 0 end) as volume_usaha_ytd,
        sum(
            case
                when tanggal_rat between previous_year_start and previous_year_as_of_date
                    then volume_usaha
                else 0
            end
        ) as volume_usaha_tahun_lalu
    from rat_held_by_d
    group by tahun, triwulan, nik_koperasi
),

rat_this_year_ranked as (
    select
        rat_held_by_d.*,
        row_number() over (
            partition by tahun, triwulan, nik_koperasi
            order by tanggal_rat desc, tahun_buku desc
        ) as recency
    from rat_held_by_d
    where tanggal_rat >= year_start
),

rat_this_year as (
    select * from rat_this_year_ranked where recency = 1
),

-- The previous RAT report: the latest earlier book year with a RAT held (by D).
rat_previous_ranked as (
    select
        rat_this_year.tahun,
        rat_this_year.triwulan,
        rat_this_year.nik_koperasi,
        rat_this_year.aset,
        rat_this_year.volume_usaha,
        earlier.aset as aset_sebelumnya,
        earlier.volume_usaha as volume_usaha_sebelumnya,
        row_number() over (
            partition by rat_this_year.tahun, rat_this_year.triwulan, rat_this_year.nik_koperasi
            order by earlier.tahun_buku desc
        ) as recency
    from rat_this_year
    inner join rat_held_by_d as earlier
        on earlier.tahun = rat_this_year.tahun
        and earlier.triwulan = rat_this_year.triwulan
        and earlier.nik_koperasi = rat_this_year.nik_koperasi
        and earlier.tahun_buku < rat_this_year.tahun_buku
),

rat_improved as (
    select tahun, triwulan, nik_koperasi
    from rat_previous_ranked
    where recency = 1
        and volume_usaha > volume_usaha_sebelumnya
        and aset > aset_sebelumnya
),

kegiatan_by_d as (
    select
        quarters.tahun,
        quarters.triwulan,
        kegiatan.nik_koperasi,
        max(case when kegiatan.jenis = 'NIB_SIMPAN_PINJAM' then 1 else 0 end) as nib_simpan_pinjam,
        max(
            case when kegiatan.jenis = 'PEMERIKSAAN' and kegiatan.tanggal >= quarters.year_start then 1 else 0 end
        ) as diperiksa,
        max(
            case
                when kegiatan.jenis = 'PENILAIAN_KESEHATAN' and kegiatan.tanggal >= quarters.year_start then 1
                else 0
            end
        ) as dinilai,
        sum(
            case
                when kegiatan.jenis = 'DIKLAT' and kegiatan.tanggal >= quarters.year_start
                    then kegiatan.jumlah_peserta
                else 0
            end
        ) as peserta_diklat
    from quarters
    inner join kegiatan
        on kegiatan.tanggal <= quarters.as_of_date
    group by quarters.tahun, quarters.triwulan, kegiatan.nik_koperasi
),

koperasi_on_d as (
    select
        koperasi_state.*,
        koperasi_state.status_koperasi <> 'Bubar'
            and coalesce(rat_activity.rat_since_n_minus_2, 0) > 0 as is_aktif,
        rat_improved.nik_koperasi is not null as has_rat_improved,
        coalesce(kegiatan_by_d.nib_simpan_pinjam, 0) = 1 as has_nib_simpan_pinjam,
        coalesce(kegiatan_by_d.diperiksa, 0) = 1 as is_diperiksa,
        coalesce(kegiatan_by_d.dinilai, 0) = 1 as is_dinilai,
        coalesce(kegiatan_by_d.peserta_diklat, 0) as peserta_diklat,
        coalesce(rat_activity.volume_usaha_ytd, 0) as volume_usaha_ytd,
        coalesce(rat_activity.volume_usaha_tahun_lalu, 0) as volume_usaha_tahun_lalu
    from koperasi_state
    left join rat_activity
        on rat_activity.tahun = koperasi_state.tahun
        and rat_activity.triwulan = koperasi_state.triwulan
        and rat_activity.nik_koperasi = koperasi_state.nik_koperasi
    left join rat_improved
        on rat_improved.tahun = koperasi_state.tahun
        and rat_improved.triwulan = koperasi_state.triwulan
        and rat_improved.nik_koperasi = koperasi_state.nik_koperasi
    left join kegiatan_by_d
        on kegiatan_by_d.tahun = koperasi_state.tahun
        and kegiatan_by_d.triwulan = koperasi_state.triwulan
        and kegiatan_by_d.nik_koperasi = koperasi_state.nik_koperasi
)

select
    tahun,
    triwulan,
    as_of_date,
    nik_koperasi,
    nama_koperasi,
    jenis_koperasi,
    kecamatan,
    kelurahan,
    status_koperasi,
    tahun_buku,
    tanggal_efektif,
    cast(jumlah_anggota as bigint) as jumlah_anggota,
    cast(jumlah_pengurus as bigint) as jumlah_pengurus,
    aset,
    volume_usaha,
    is_aktif,
    is_aktif and has_rat_improved as is_berkualitas,
    has_nib_simpan_pinjam,
    is_diperiksa,
    is_dinilai,
    cast(peserta_diklat as bigint) as peserta_diklat,
    cast(volume_usaha_ytd as decimal(38, 2)) as volume_usaha_ytd,
    cast(volume_usaha_tahun_lalu as decimal(38, 2)) as volume_usaha_tahun_lalu
from koperasi_on_d
