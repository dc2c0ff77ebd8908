{#- The records behind the cooperative indicators (indicators.md, Cooperatives) of the quarters
    explained: per indicator and record (an ods rat or kegiatan row), what it adds to the numerator
    and to the denominator (null: nothing there), the day the rule looks at and why it counts. The
    cooperatives and their flags are those of int_koperasi_states_replayed, which the figures are
    summed from and which names the rat and kegiatan rows behind each flag. -#}
{% macro koperasi_records_counted() -%}
    with aktif as (
        select
            states.*,
            quarters.previous_year_as_of_date
        from {{ ref('int_koperasi_states_replayed') }} as states
        inner join ({{ explained_quarters() }}) as quarters
            on quarters.tahun = states.tahun
            and quarters.triwulan = states.triwulan
        where states.is_aktif
    ),

    rat as (
        select * from {{ ref('stg_ods__rats') }}
    ),

    kegiatan as (
        select * from {{ ref('stg_ods__kegiatans') }}
    ),

    -- An active cooperative counts in the denominators through the latest RAT it held by D, which is
    -- also the RAT whose improvement IKU-01 counts.
    rat_terakhir as (
        select
            aktif.tahun,
            aktif.triwulan,
            aktif.as_of_date,
            aktif.is_berkualitas,
            rat.tanggal_rat,
            {{ lineage('rat') }}
        from aktif
        inner join rat
            on rat.nik_koperasi = aktif.nik_koperasi
            and rat.tahun_buku = aktif.tahun_buku_rat_terakhir
    ),

    -- The kegiatan each flag names, and every DIKLAT of year N to D (PRG-05 sums their participants).
    kegiatan_counted as (
        select
            indikator.kode_indikator,
            aktif.tahun,
            aktif.triwulan,
            aktif.as_of_date,
            case when kegiatan.jenis = 'DIKLAT' then kegiatan.jumlah_peserta else 1 end as numerator,
            kegiatan.tanggal,
            indikator.alasan,
            {{ lineage('kegiatan') }}
        from aktif
        inner join kegiatan
            on kegiatan.nik_koperasi = aktif.nik_koperasi
        inner join (
            values
                ('PRG-02', 'NIB_SIMPAN_PINJAM', {{ reason('nib_simpan_pinjam') }}),
                ('PRG-03', 'PEMERIKSAAN', {{ reason('pemeriksaan') }}),
                ('PRG-04', 'PENILAIAN_KESEHATAN', {{ reason('penilaian_kesehatan') }}),
                ('PRG-05', 'DIKLAT', {{ reason('diklat') }})
        ) as indikator (kode_indikator, jenis, alasan)
            on indikator.jenis = kegiatan.jenis
        where kegiatan.id_kegiatan = aktif.id_kegiatan_nib_simpan_pinjam
            or kegiatan.id_kegiatan = aktif.id_kegiatan_pemeriksaan
            or kegiatan.id_kegiatan = aktif.id_kegiatan_penilaian
            or (kegiatan.jenis = 'DIKLAT' and {{ year_to_date('kegiatan.tanggal', 'aktif') }})
    ),

    -- PRG-05's denominator: the pengurus of the rat row in force on D.
    pengurus as (
        select
            aktif.tahun,
            aktif.triwulan,
            aktif.as_of_date,
            aktif.jumlah_pengurus,
            rat.tanggal_efektif,
            {{ lineage('rat') }}
        from aktif
        inner join rat
            on rat.nik_koperasi = aktif.nik_koperasi
            and rat.tahun_buku = aktif.tahun_buku
    ),

    -- PRG-06 and RPD-02: the volume of every RAT held in the year to date (numerator) and in the same
    -- period last year (subtracted from the numerator, and the denominator).
    volume as (
        select
            aktif.tahun,
            aktif.triwulan,
            aktif.as_of_date,
            case when {{ year_to_date('rat.tanggal_rat', 'aktif') }} then 1 else -1 end as arah,
            rat.volume_usaha,
            rat.tanggal_rat,
            {{ lineage('rat') }}
        from aktif
        inner join rat
            on rat.nik_koperasi = aktif.nik_koperasi
        where ({{ year_to_date('rat.tanggal_rat', 'aktif') }})
            or ({{ same_period_last_year('rat.tanggal_rat', 'aktif') }})
    )

    select
        indikator.kode_indikator,
        rat_terakhir.tahun,
        rat_terakhir.triwulan,
        rat_terakhir.as_of_date,
        case when indikator.kode_indikator = 'IKU-01' and rat_terakhir.is_berkualitas then 1 end as numerator,
        1 as denominator,
        'rat' as kind,
        rat_terakhir.tanggal_rat as tanggal,
        case
            when indikator.kode_indikator = 'IKU-01' and rat_terakhir.is_berkualitas then {{ reason('aktif_berkualitas') }}
            else {{ reason('aktif') }}
        end as alasan,
        rat_terakhir.record_key,
        rat_terakhir.source_file,
        rat_terakhir.row_number,
        rat_terakhir.extracted_on,
        rat_terakhir.batch_id
    from rat_terakhir
    cross join (values ('IKU-01'), ('PRG-02'), ('PRG-03'), ('PRG-04')) as indikator (kode_indikator)
    union all
    select kode_indikator, tahun, triwulan, as_of_date, numerator, null, 'kegiatan', tanggal, alasan,
        record_key, source_file, row_number, extracted_on, batch_id
    from kegiatan_counted
    union all
    select 'PRG-05', tahun, triwulan, as_of_date, null, jumlah_pengurus, 'rat', tanggal_efektif, {{ reason('pengurus') }},
        record_key, source_file, row_number, extracted_on, batch_id
    from pengurus
    union all
    select indikator.kode_indikator, volume.tahun, volume.triwulan, volume.as_of_date,
        volume.arah * volume.volume_usaha,
        case when volume.arah = -1 then volume.volume_usaha end,
        'rat', volume.tanggal_rat,
        case when volume.arah = 1 then {{ reason('volume') }} else {{ reason('volume_tahun_lalu') }} end,
        volume.record_key, volume.source_file, volume.row_number, volume.extracted_on, volume.batch_id
    from volume
    cross join (values ('PRG-06'), ('RPD-02')) as indikator (kode_indikator)
{%- endmacro %}
