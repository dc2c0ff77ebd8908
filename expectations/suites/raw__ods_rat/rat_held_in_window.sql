-- Returns each RAT held outside its window: a RAT for book year Y is held after 31 December Y and
-- by 30 June Y+2 (sources.md, ods / rat). $batch_ids: these batches' events only; null: every event.
select event_id, source_file, row_number, nik, tahun_buku, tanggal_rat
from events.ods.rat
where ($batch_ids is null or list_contains($batch_ids, batch_id))
    and (tanggal_rat <= make_date(tahun_buku, 12, 31)
        or tanggal_rat > make_date(tahun_buku + 2, 6, 30))
