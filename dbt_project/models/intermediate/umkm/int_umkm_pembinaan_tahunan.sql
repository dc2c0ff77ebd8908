{#- One row per business and year it was facilitated: "at least one pembinaan in year N on or
    before D" is then pembinaan_pertama <= D. -#}
select
    id_umkm,
    cast(extract(year from tanggal) as integer) as tahun,
    min(tanggal) as pembinaan_pertama,
    count(*) as jumlah_pembinaan
from {{ ref('stg_sip3__pembinaans') }}
group by id_umkm, cast(extract(year from tanggal) as integer)
