-- Exactly one state per (quarter built, business observed on or before D): none doubled, none missing.
with pendataan_pertama as (
    select id_umkm, min(tanggal_pendataan) as tanggal_pendataan
    from {{ ref('int_umkm_pendataan') }}
    group by id_umkm
),

usaha_teramati as (
    select quarters.tahun, quarters.triwulan, count(*) as usaha
    from {{ ref('int_quarters') }} as quarters
    inner join pendataan_pertama
        on pendataan_pertama.tanggal_pendataan <= quarters.as_of_date
    group by quarters.tahun, quarters.triwulan
),

usaha_direplay as (
    select tahun, triwulan, count(*) as usaha
    from {{ ref('int_umkm_states_replayed') }}
    group by tahun, triwulan
),

usaha_ganda as (
    select tahun, triwulan, id_umkm
    from {{ ref('int_umkm_states_replayed') }}
    group by tahun, triwulan, id_umkm
    having count(*) > 1
)

select usaha_teramati.tahun, usaha_teramati.triwulan, 'jumlah usaha berbeda' as masalah
from usaha_teramati
left join usaha_direplay
    on usaha_direplay.tahun = usaha_teramati.tahun
    and usaha_direplay.triwulan = usaha_teramati.triwulan
where coalesce(usaha_direplay.usaha, 0) <> usaha_teramati.usaha
union all
select tahun, triwulan, 'usaha ganda' as masalah
from usaha_ganda
