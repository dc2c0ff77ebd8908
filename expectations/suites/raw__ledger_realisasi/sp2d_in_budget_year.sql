-- Returns each payment dated outside its budget year: tanggal_sp2d must fall in tahun_anggaran
-- (sources.md, ledger / realisasi). $batch_id: one batch's events only; null: every event.
select event_id, source_file, row_number, no_sp2d, tahun_anggaran, tanggal_sp2d
from events.ledger.realisasi
where ($batch_id is null or batch_id = $batch_id)
    and year(tanggal_sp2d) <> tahun_anggaran
