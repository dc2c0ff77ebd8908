{#- The catalogue with a row per target year; each row also carries the final target of the Renstra
    covering that year (its target for the plan's last year), null when the catalogue has none. -#}
with targets as (
    select
        target_indikator.kode_indikator,
        target_indikator.tahun,
        target_indikator.target,
        renstra.periode as periode_renstra,
        renstra.tahun_akhir as tahun_akhir_renstra
    from {{ ref('target_indikator') }} as target_indikator
    left join {{ ref('renstra') }} as renstra
        on target_indikator.tahun between renstra.tahun_awal and renstra.tahun_akhir
)

select
    indikator.kode_indikator,
    indikator.nama_indikator,
    indikator.level,
    indikator.kode_program,
    indikator.metode,
    indikator.desimal,
    indikator.satuan,
    indikator.lebih_tinggi_lebih_baik,
    targets.tahun,
    targets.target,
    targets.periode_renstra,
    targets.tahun_akhir_renstra,
    target_akhir.target as target_akhir_renstra
from {{ ref('indikator') }} as indikator
left join targets
    on indikator.kode_indikator = targets.kode_indikator
left join {{ ref('target_indikator') }} as target_akhir
    on target_akhir.kode_indikator = targets.kode_indikator
    and target_akhir.tahun = targets.tahun_akhir_renstra
