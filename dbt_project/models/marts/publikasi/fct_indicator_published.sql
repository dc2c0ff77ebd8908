{#- One row per publication (`kumkm publish`) and indicator: the figures as they were served at the
    publication's knowledge time K, never recomputed. -#}
select
    publications.publication_id,
    publications.dokumen,
    publications.known_at,
    publications.published_at,
    figures.kode_indikator,
    figures.nama_indikator,
    figures.level,
    figures.kode_program,
    figures.tahun,
    figures.triwulan,
    figures.as_of_date,
    figures.numerator,
    figures.denominator,
    figures.nilai,
    figures.nilai_dibulatkan,
    figures.satuan,
    figures.target,
    figures.capaian_pct,
    figures.predikat
from {{ ref('stg_publish__publications') }} as publications
inner join {{ ref('stg_publish__figures') }} as figures
    on figures.publication_id = publications.publication_id
