{#- The as-of replay of the cooperatives (indicators.md, Cooperatives): one row per quarter end D
    and cooperative that has a state on D, i.e. a rat row effective on or before D. -#}
with quarters as (
    select tahun, triwulan, as_of_date, year_start, previous_year_start, previous_year_as_of_date
    from {{ ref('int_quarters') }}
),

rat as (
    select nik_koperasi, kecamatan, status_koperasi, tahun_buku, tanggal_rat, tanggal_efektif, jumlah_pengurus,
        aset, volume_usaha
    from {{ ref('stg_ods__rats') }}
),

kegiatan as (
    select id_kegiatan, nik_koperasi, jenis, tanggal, jumlah_peserta from {{ ref('stg_ods__kegiatans') }}
),

-- Each rat row is its cooperative's state from its effective date until the next row's (ties: the
-- later book year wins, the earlier holds for no day).
rat_berlaku as (
    select
        *,
        coalesce(
            lead(tanggal_efektif) over (partition by nik_koperasi order by tanggal_efektif, tahun_buku),
            cast('9999-12-31' as date)
        ) as berlaku_sampai
    from rat
),

-- Each RAT held, with the volume of the RATs its cooperative held in its year up to it.
rat_held as (
    select
        nik_koperasi,
        tahun_buku,
        tanggal_rat,
        aset,
        volume_usaha,
        sum(volume_usaha) over (
            partition by nik_koperasi, extract(year from tanggal_rat)
            order by tanggal_rat, tahun_buku
            rows between unbounded preceding and current row
        ) as volume_tahun_berjalan
    from rat
    where tanggal_rat is not null
),

-- A RAT's previous report: the latest earlier book year with a RAT held by its day (which is every
-- one held by D while it is the latest held by D).
rat_previous_ranked as (
    select
        rat_held.nik_koperasi,
        rat_held.tahun_buku,
        rat_held.volume_usaha > earlier.volume_usaha and rat_held.aset > earlier.aset as is_meningkat,
        row_number() over (
            partition by rat_held.nik_koperasi, rat_held.tahun_buku
            order by earlier.tahun_buku desc
        ) as recency
    from rat_held
    inner join rat_held as earlier
        on earlier.nik_koperasi = rat_held.nik_koperasi
        and earlier.tahun_buku < rat_held.tahun_buku
        and earlier.tanggal_rat <= rat_held.tanggal_rat
),

-- Each RAT held is the cooperative's latest from its day until the next one held; it improved on its
-- previous report when its volume and assets both beat it (a first RAT does not).
rat_terakhir as (
    select
        rat_held.nik_koperasi,
        rat_held.tahun_buku,
        rat_held.tanggal_rat,
        rat_held.volume_tahun_berjalan,
        coalesce(previous.is_meningkat, false) as is_meningkat,
        coalesce(
            lead(rat_held.tanggal_rat) over (
                partition by rat_held.nik_koperasi order by rat_held.tanggal_rat, rat_held.tahun_buku
            ),
            cast('9999-12-31' as date)
        ) as rat_berikutnya
    from rat_held
    left join rat_previous_ranked as previous
        on previous.nik_koperasi = rat_held.nik_koperasi
        and previous.tahun_buku = rat_held.tahun_buku
        and previous.recency = 1
),

-- What a cooperative holds on D changes only on the days a rat row takes effect or a RAT is held: its
-- history in segments, each with the rat row in force and the latest RAT held, so that every quarter
-- end D finds both in one interval join.
hari_berubah as (
    select nik_koperasi, tanggal_efektif as hari from rat
    union
    select nik_koperasi, tanggal_rat from rat_held
),

segmen as (
    select
        nik_koperasi,
        hari as berlaku_dari,
        coalesce(lead(hari) over (partition by nik_koperasi order by hari), cast('9999-12-31' as date))
            as berlaku_sampai
    from hari_berubah
),

riwayat as (
    select
        segmen.berlaku_dari,
        segmen.berlaku_sampai,
        rat_berlaku.nik_koperasi,
        rat_berlaku.kecamatan,
        rat_berlaku.status_koperasi,
        rat_berlaku.tahun_buku,
        rat_berlaku.tanggal_efektif,
        rat_berlaku.jumlah_pengurus,
        rat_terakhir.tanggal_rat as rat_terakhir,
        rat_terakhir.tahun_buku as tahun_buku_rat_terakhir,
        rat_terakhir.volume_tahun_berjalan,
        rat_terakhir.is_meningkat
    from segmen
    inner join rat_berlaku
        on rat_berlaku.nik_koperasi = segmen.nik_koperasi
        and rat_berlaku.tanggal_efektif <= segmen.berlaku_dari
        and segmen.berlaku_dari < rat_berlaku.berlaku_sampai
    left join rat_terakhir
        on rat_terakhir.nik_koperasi = segmen.nik_koperasi
        and rat_terakhir.tanggal_rat <= segmen.berlaku_dari
        and segmen.berlaku_dari < rat_terakhir.rat_berikutnya
),

-- The volume of the RATs held in the same period last year: that to date of the latest RAT held by
-- the same day a year before D, when held since 1 January N - 1.
volume_tahun_lalu as (
    select quarters.tahun, quarters.triwulan, riwayat.nik_koperasi, riwayat.volume_tahun_berjalan
    from quarters
    inner join riwayat
        on riwayat.berlaku_dari <= quarters.previous_year_as_of_date
        and quarters.previous_year_as_of_date < riwayat.berlaku_sampai
    where riwayat.rat_terakhir >= quarters.previous_year_start
),

nib_simpan_pinjam as (
    -- the cooperative's first NIB_SIMPAN_PINJAM: the day it has one from, and which kegiatan it was
    select nik_koperasi, tanggal as sejak, id_kegiatan
    from (
        select
            nik_koperasi,
            tanggal,
            id_kegiatan,
            row_number() over (partition by nik_koperasi order by tanggal, id_kegiatan) as urutan
        from kegiatan
        where jenis = 'NIB_SIMPAN_PINJAM'
    ) as nib
    where urutan = 1
),

kegiatan_by_d as (
    -- supervision and training of year N up to D
    select
        quarters.tahun,
        quarters.triwulan,
        kegiatan.nik_koperasi,
        max(case when kegiatan.jenis = 'PEMERIKSAAN' then 1 else 0 end) as diperiksa,
        max(case when kegiatan.jenis = 'PENILAIAN_KESEHATAN' then 1 else 0 end) as dinilai,
        sum(case when kegiatan.jenis = 'DIKLAT' then kegiatan.jumlah_peserta else 0 end) as peserta_diklat,
        -- which kegiatan makes the cooperative examined, assessed (the lineage of the figures)
        min(case when kegiatan.jenis = 'PEMERIKSAAN' then kegiatan.id_kegiatan end) as id_kegiatan_pemeriksaan,
        min(case when kegiatan.jenis = 'PENILAIAN_KESEHATAN' then kegiatan.id_kegiatan end) as id_kegiatan_penilaian
    from quarters
    inner join kegiatan
        on {{ year_to_date('kegiatan.tanggal', 'quarters') }}
    where kegiatan.jenis in ('PEMERIKSAAN', 'PENILAIAN_KESEHATAN', 'DIKLAT')
    group by quarters.tahun, quarters.triwulan, kegiatan.nik_koperasi
),

koperasi_on_d as (
    select
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        riwayat.*,
        riwayat.status_koperasi <> 'Bubar'
            and coalesce(riwayat.rat_terakhir >= {{ dbt.dateadd('year', -2, 'quarters.year_start') }}, false)
            as is_aktif,
        coalesce(riwayat.rat_terakhir >= quarters.year_start and riwayat.is_meningkat, false) as has_rat_improved,
        coalesce(nib_simpan_pinjam.sejak <= quarters.as_of_date, false) as has_nib_simpan_pinjam,
        coalesce(kegiatan_by_d.diperiksa, 0) = 1 as is_diperiksa,
        coalesce(kegiatan_by_d.dinilai, 0) = 1 as is_dinilai,
        coalesce(kegiatan_by_d.peserta_diklat, 0) as peserta_diklat,
        -- the RATs held in the year to date: the volume to date of the latest, when held in year N
        case when riwayat.rat_terakhir >= quarters.year_start then riwayat.volume_tahun_berjalan else 0 end
            as volume_usaha_ytd,
        coalesce(volume_tahun_lalu.volume_tahun_berjalan, 0) as volume_usaha_tahun_lalu,
        nib_simpan_pinjam.id_kegiatan as id_kegiatan_nib_simpan_pinjam,
        kegiatan_by_d.id_kegiatan_pemeriksaan,
        kegiatan_by_d.id_kegiatan_penilaian
    from quarters
    inner join riwayat
        on riwayat.berlaku_dari <= quarters.as_of_date
        and quarters.as_of_date < riwayat.berlaku_sampai
    left join kegiatan_by_d
        on kegiatan_by_d.tahun = quarters.tahun
        and kegiatan_by_d.triwulan = quarters.triwulan
        and kegiatan_by_d.nik_koperasi = riwayat.nik_koperasi
    left join volume_tahun_lalu
        on volume_tahun_lalu.tahun = quarters.tahun
        and volume_tahun_lalu.triwulan = quarters.triwulan
        and volume_tahun_lalu.nik_koperasi = riwayat.nik_koperasi
    left join nib_simpan_pinjam
        on nib_simpan_pinjam.nik_koperasi = riwayat.nik_koperasi
)

select
    tahun,
    triwulan,
    as_of_date,
    nik_koperasi,
    kecamatan,
    status_koperasi,
    tahun_buku,
    tanggal_efektif,
    cast(jumlah_pengurus as bigint) as jumlah_pengurus,
    is_aktif,
    is_aktif and has_rat_improved as is_berkualitas,
    has_nib_simpan_pinjam,
    is_diperiksa,
    is_dinilai,
    cast(peserta_diklat as bigint) as peserta_diklat,
    cast(volume_usaha_ytd as decimal(38, 2)) as volume_usaha_ytd,
    cast(volume_usaha_tahun_lalu as decimal(38, 2)) as volume_usaha_tahun_lalu,
    -- the lineage of the flags: the records that make them hold
    tahun_buku_rat_terakhir,
    case when has_nib_simpan_pinjam then id_kegiatan_nib_simpan_pinjam end as id_kegiatan_nib_simpan_pinjam,
    id_kegiatan_pemeriksaan,
    id_kegiatan_penilaian
from koperasi_on_d
