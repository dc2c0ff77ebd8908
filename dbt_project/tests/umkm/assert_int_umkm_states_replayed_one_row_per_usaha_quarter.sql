{#- In Dagster, a check on int_umkm_states_replayed. -#}
{{ config(meta={'dagster': {'ref': {'name': 'int_umkm_states_replayed'}}}) }}
-- Exactly one state per (quarter built, business observed on or before D): the replay holds as many
-- rows in each quarter as businesses were observed by D. A doubled state makes a quarter hold more,
-- a missing one fewer; counting, unlike grouping by business, costs one pass over the replay.
-- (A business's observations cannot overlap: int_umkm_pendataan is unique on
-- (id_umkm, tanggal_pendataan) and each observation holds until the next.)
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
)

select
    coalesce(usaha_teramati.tahun, usaha_direplay.tahun) as tahun,
    coalesce(usaha_teramati.triwulan, usaha_direplay.triwulan) as triwulan,
    coalesce(usaha_teramati.usaha, 0) as usaha_teramati,
    coalesce(usaha_direplay.usaha, 0) as usaha_direplay
from usaha_teramati
full outer join usaha_direplay
    on usaha_direplay.tahun = usaha_teramati.tahun
    and usaha_direplay.triwulan = usaha_teramati.triwulan
where coalesce(usaha_direplay.usaha, 0) <> coalesce(usaha_teramati.usaha, 0)
