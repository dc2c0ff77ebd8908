{#- The business counts of every day at once (indicators.md, Businesses): an observation counts in a
    figure from its *_dari day until berlaku_sampai, so the count on a quarter end D is the sum of
    the steps of every quarter up to D's: +1 in the quarter it starts counting, -1 in the quarter it
    stops. One row per figure, kecamatan and quarter with a step. -#}
with pendataan as (
    select * from {{ ref('int_umkm_pendataan') }}
),

dihitung as (
    select 'usaha_mikro_terdata' as hitungan, kecamatan, mikro_terdata_dari as dari, berlaku_sampai as sampai
    from pendataan
    where mikro_terdata_dari < berlaku_sampai
    union all
    select 'wirausaha', kecamatan, wirausaha_dari, berlaku_sampai
    from pendataan
    where wirausaha_dari < berlaku_sampai
    union all
    select 'pkl_terdaftar', kecamatan, pkl_terdaftar_dari, berlaku_sampai
    from pendataan
    where pkl_terdaftar_dari < berlaku_sampai
),

langkah as (
    select hitungan, kecamatan, dari as hari, 1 as langkah from dihitung
    union all
    select hitungan, kecamatan, sampai, -1 from dihitung
)

select
    hitungan,
    kecamatan,
    cast(extract(year from hari) as integer) as tahun,
    cast(extract(quarter from hari) as integer) as triwulan,
    sum(langkah) as langkah
from langkah
group by hitungan, kecamatan, cast(extract(year from hari) as integer), cast(extract(quarter from hari) as integer)
