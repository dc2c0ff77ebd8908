-- Returns each facilitation of a business SIP3 never observed: an orphan is loaded and reported,
-- not rejected (sources.md, Files).
select pembinaan.id_pembinaan, pembinaan.id_umkm, pembinaan.tanggal, pembinaan.jenis
from staging.stg_sip3__pembinaans as pembinaan
where not exists (
    select 1 from staging.stg_sip3__umkms as umkm where umkm.id_umkm = pembinaan.id_umkm
)
