-- Returns each printed line with no figure: at least one of nilai, capaian, pagu, realisasi,
-- serapan (sources.md, manual / publikasi). $batch_ids: these batches' events only; null: every event.
select event_id, source_file, row_number, dokumen, tabel, kode
from events.manual.publikasi
where ($batch_ids is null or list_contains($batch_ids, batch_id))
    and coalesce(nilai, capaian, pagu, realisasi, serapan) is null
