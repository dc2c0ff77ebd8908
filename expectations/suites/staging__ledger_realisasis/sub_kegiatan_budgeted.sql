-- Returns each payment whose sub-activity is in no budget version of its year known at K
-- (sources.md, ledger / realisasi: ingestion rejects such a payment when it arrives).
select realisasi.no_sp2d, realisasi.tahun_anggaran, realisasi.kode_sub_kegiatan, realisasi.nilai
from staging.stg_ledger__realisasis as realisasi
where not exists (
    select 1
    from staging.stg_ledger__anggarans as anggaran
    where anggaran.tahun_anggaran = realisasi.tahun_anggaran
        and anggaran.kode_sub_kegiatan = realisasi.kode_sub_kegiatan
)
