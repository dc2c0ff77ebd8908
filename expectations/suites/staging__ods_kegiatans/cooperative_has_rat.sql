-- Returns each supervision activity whose cooperative has no RAT report: an orphan is loaded and
-- reported, not rejected (sources.md, Files).
select kegiatan.id_kegiatan, kegiatan.nik_koperasi, kegiatan.tanggal, kegiatan.jenis
from staging.stg_ods__kegiatans as kegiatan
where not exists (
    select 1 from staging.stg_ods__rats as rat where rat.nik_koperasi = kegiatan.nik_koperasi
)
