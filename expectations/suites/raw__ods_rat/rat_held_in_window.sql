-- Returns each RAT held outside its window: a RAT for book year Y is held after 31 December Y and
-- by 30 June Y+2 (sources.md, ods / rat). $batch_id: one batch's events only; null: every event.
select event_id, source_file, row_number, nik, tahun_buku, tanggal_rat
from events.ods.rat
where ($batch_id is null or batch_id = $batch_id)
    and (tanggal_rat <= make_date(tahun_buku, 12, 31)
        or tanggal_rat > make_date(tahun_buku + 2, 6, 30))
