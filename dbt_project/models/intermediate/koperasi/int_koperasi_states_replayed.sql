{#- The as-of replay of the cooperatives (indicators.md, Cooperatives): one row per quarter end D
    and cooperative that has a state on D, i.e. a rat row effective on or before D. -#}
with quarters as (
    select tahun, triwulan, as_of_date, year_start, previous_year_as_of_date
    from {{ ref('int_quarters') }}
),

rat as (
    select
        nik_koperasi,
        nama_koperasi,
        jenis_koperasi,
        kecamatan,
        kelurahan,
        status_koperasi,
        tahun_buku,
        tanggal_rat,
        tanggal_efektif,
        jumlah_anggota,
        jumlah_pengurus,
        aset,
        volume_usaha
    from {{ ref('stg_ods__rats') }}
),

kegiatan as (
    select id_kegiatan, nik_koperasi, jenis, tanggal, jumlah_peserta from {{ ref('stg_ods__kegiatans') }}
),

-- Each rat row is its cooperative's state from its effective date until the next row's (ties: the
-- later book year wins, the earlier holds for no day); each RAT held is the cooperative's latest from
-- its day until the next one held. So every state on D comes from one interval join, not from
-- every row effective by D.
rat_berlaku as (
    select
        *,
        coalesce(
            lead(tanggal_efektif) over (partition by nik_koperasi order by tanggal_efektif, tahun_buku),
            cast('9999-12-31' as date)
        ) as berlaku_sampai
    from rat
),

rat_held as (
    select
        nik_koperasi,
        tahun_buku,
        tanggal_rat,
        aset,
        volume_usaha,
        coalesce(
            lead(tanggal_rat) over (partition by nik_koperasi order by tanggal_rat, tahun_buku),
            cast('9999-12-31' as date)
        ) as rat_berikutnya,
        -- the volume of the RATs held in its year up to it
        sum(volume_usaha) over (
            partition by nik_koperasi, extract(year from tanggal_rat)
            order by tanggal_rat, tahun_buku
            rows between unbounded preceding and current row
        ) as volume_tahun_berjalan
    from rat
    where tanggal_rat is not null
),

koperasi_state as (
    select
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        quarters.year_start,
        quarters.previous_year_as_of_date,
        rat_berlaku.*
    from quarters
    inner join rat_berlaku
        on rat_berlaku.tanggal_efektif <= quarters.as_of_date
        and quarters.as_of_date < rat_berlaku.berlaku_sampai
),

rat_terakhir as (
    -- the latest RAT held by D
    select quarters.tahun, quarters.triwulan, quarters.as_of_date, quarters.year_start, rat_held.*
    from quarters
    inner join rat_held
        on rat_held.tanggal_rat <= quarters.as_of_date
        and quarters.as_of_date < rat_held.rat_berikutnya
),

rat_terakhir_tahun_lalu as (
    -- the latest RAT held by the same day a year before D
    select quarters.tahun, quarters.triwulan, rat_held.*
    from quarters
    inner join rat_held
        on rat_held.tanggal_rat <= quarters.previous_year_as_of_date
        and quarters.previous_year_as_of_date < rat_held.rat_berikutnya
),

-- The previous RAT report of the latest RAT held in year N: the latest earlier book year with a
-- RAT held (by D).
rat_previous_ranked as (
    select
        rat_terakhir.tahun,
        rat_terakhir.triwulan,
        rat_terakhir.nik_koperasi,
        rat_terakhir.aset,
        rat_terakhir.volume_usaha,
        earlier.aset as aset_sebelumnya,
        earlier.volume_usaha as volume_usaha_sebelumnya,
        row_number() over (
            partition by rat_terakhir.tahun, rat_terakhir.triwulan, rat_terakhir.nik_koperasi
            order by earlier.tahun_buku desc
        ) as recency
    from rat_terakhir
    inner join rat_held as earlier
        on earlier.nik_koperasi = rat_terakhir.nik_koperasi
        and earlier.tanggal_rat <= rat_terakhir.as_of_date
        and earlier.tahun_buku < rat_terakhir.tahun_buku
    where rat_terakhir.tanggal_rat >= rat_terakhir.year_start
),

rat_improved as (
    select tahun, triwulan, nik_koperasi
    from rat_previous_ranked
    where recency = 1
        and volume_usaha > volume_usaha_sebelumnya
        and aset > aset_sebelumnya
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

-- What each cooperative holds on D besides its state, one row per quarter and cooperative: one
-- aggregate over the facts instead of a join per fact (each would hash every state of every quarter).
fakta_by_d as (
    select
        tahun,
        triwulan,
        nik_koperasi,
        max(rat_terakhir) as rat_terakhir,
        max(tahun_buku_rat_terakhir) as tahun_buku_rat_terakhir,
        max(volume_usaha_ytd) as volume_usaha_ytd,
        max(volume_usaha_tahun_lalu) as volume_usaha_tahun_lalu,
        max(rat_meningkat) as rat_meningkat,
        max(diperiksa) as diperiksa,
        max(dinilai) as dinilai,
        max(peserta_diklat) as peserta_diklat,
        max(id_kegiatan_pemeriksaan) as id_kegiatan_pemeriksaan,
        max(id_kegiatan_penilaian) as id_kegiatan_penilaian
    from (
        select
            tahun,
            triwulan,
            nik_koperasi,
            tanggal_rat as rat_terakhir,
            tahun_buku as tahun_buku_rat_terakhir,
            case when tanggal_rat >= year_start then volume_tahun_berjalan else 0 end as volume_usaha_ytd,
            cast(null as decimal(38, 2)) as volume_usaha_tahun_lalu,
            cast(null as integer) as rat_meningkat,
            cast(null as integer) as diperiksa,
            cast(null as integer) as dinilai,
            cast(null as bigint) as peserta_diklat,
            cast(null as varchar) as id_kegiatan_pemeriksaan,
            cast(null as varchar) as id_kegiatan_penilaian
        from rat_terakhir
        union all
        select tahun, triwulan, nik_koperasi, null, null, null,
            case when extract(year from tanggal_rat) = tahun - 1 then volume_tahun_berjalan else 0 end,
            null, null, null, null, null, null
        from rat_terakhir_tahun_lalu
        union all
        select tahun, triwulan, nik_koperasi, null, null, null, null, 1, null, null, null, null, null
        from rat_improved
        union all
        select tahun, triwulan, nik_koperasi, null, null, null, null, null, diperiksa, dinilai, peserta_diklat,
            id_kegiatan_pemeriksaan, id_kegiatan_penilaian
        from kegiatan_by_d
    ) as fakta
    group by tahun, triwulan, nik_koperasi
),

koperasi_on_d as (
    select
        koperasi_state.*,
        koperasi_state.status_koperasi <> 'Bubar'
            and coalesce(fakta.rat_terakhir >= {{ dbt.dateadd('year', -2, 'koperasi_state.year_start') }}, false)
            as is_aktif,
        coalesce(fakta.rat_meningkat, 0) = 1 as has_rat_improved,
        coalesce(nib_simpan_pinjam.sejak <= koperasi_state.as_of_date, false) as has_nib_simpan_pinjam,
        coalesce(fakta.diperiksa, 0) = 1 as is_diperiksa,
        coalesce(fakta.dinilai, 0) = 1 as is_dinilai,
        coalesce(fakta.peserta_diklat, 0) as peserta_diklat,
        coalesce(fakta.volume_usaha_ytd, 0) as volume_usaha_ytd,
        coalesce(fakta.volume_usaha_tahun_lalu, 0) as volume_usaha_tahun_lalu,
        fakta.tahun_buku_rat_terakhir,
        nib_simpan_pinjam.id_kegiatan as id_kegiatan_nib_simpan_pinjam,
        fakta.id_kegiatan_pemeriksaan,
        fakta.id_kegiatan_penilaian
    from koperasi_state
    left join fakta_by_d as fakta
        on fakta.tahun = koperasi_state.tahun
        and fakta.triwulan = koperasi_state.triwulan
        and fakta.nik_koperasi = koperasi_state.nik_koperasi
    left join nib_simpan_pinjam
        on nib_simpan_pinjam.nik_koperasi = koperasi_state.nik_koperasi
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
    cast(volume_usaha_tahun_lalu as decimal(38, 2)) as volume_usaha_tahun_lalu,
    -- the lineage of the flags: the records that make them hold
    tahun_buku_rat_terakhir,
    case when has_nib_simpan_pinjam then id_kegiatan_nib_simpan_pinjam end as id_kegiatan_nib_simpan_pinjam,
    id_kegiatan_pemeriksaan,
    id_kegiatan_penilaian
from koperasi_on_d
