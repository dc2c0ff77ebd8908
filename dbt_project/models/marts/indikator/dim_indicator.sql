select
    indikator.kode_indikator,
    indikator.nama_indikator,
    indikator.level,
    indikator.kode_program,
    indikator.metode,
    indikator.desimal,
    indikator.satuan,
    indikator.lebih_tinggi_lebih_baik,
    target_indikator.tahun,
    target_indikator.target
from {{ ref('indikator') }} as indikator
left join {{ ref('target_indikator') }} as target_indikator
    on indikator.kode_indikator = target_indikator.kode_indikator
