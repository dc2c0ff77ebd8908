-- Returns each payment dated outside its budget year: tanggal_sp2d must fall in tahun_anggaran
-- (sources.md, ledger / realisasi). $batch_ids: these batches' events only; null: every event.
select event_id, source_file, row_number, no_sp2d, tahun_anggaran, tanggal_sp2d
from events.ledger.realisasi
where ($batch_ids is null or list_contains($batch_ids, batch_id))
    and year(tanggal_sp2d) <> tahun_anggaran
