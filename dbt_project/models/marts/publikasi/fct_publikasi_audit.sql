{#- Every figure a published report printed beside the warehouse's own for the same code and
    quarter (docs/contracts/sources.md, manual / publikasi), and where they disagree, its class: a
    printing error (salah cetak: the warehouse's figure as known when the report was issued differs
    too) or a later correction (koreksi susulan: that figure was the printed one).
    Known when issued: for a report published with `kumkm publish` (same dokumen), the record
    versions ingested by its latest publication's K; for any other, those extracted on or before its
    tanggal_terbit. While no later version feeds the figure's quarter, the figure then is today's;
    otherwise kumkm computes it in a scratch build and keeps it (stg_terbit__angkas, kumkm/audit.py),
    and until it has, jenis_selisih stays null. -#}
{%- set figure = "cast(%s as decimal(24, 6))" -%}
{%- set printed_key = ['dokumen', 'tabel', 'kode', 'tahun', 'triwulan', 'angka'] -%}

with latest_publications as (
    select dokumen, publication_id, known_at
    from (
        select
            dokumen,
            publication_id,
            known_at,
            row_number() over (partition by dokumen order by publication_id desc) as recency
        from {{ ref('stg_publish__publications') }}
    ) as publications
    where recency = 1
),

publikasi as (
    select
        publikasi.*,
        make_date(publikasi.tahun, triwulan.bulan_akhir, triwulan.hari_akhir) as as_of_date,
        latest_publications.publication_id,
        latest_publications.known_at as known_at_terbit
    from {{ ref('stg_manual__publikasis') }} as publikasi
    inner join {{ ref('triwulan') }} as triwulan
        on triwulan.triwulan = publikasi.triwulan
    left join latest_publications
        on latest_publications.dokumen = publikasi.dokumen
),

printed as (
    {%- for angka in ['nilai', 'capaian', 'pagu', 'realisasi', 'serapan'] %}
    select
        dokumen, tabel, kode, tahun, triwulan, '{{ angka }}' as angka, {{ figure % angka }} as tercetak,
        as_of_date, tanggal_terbit, publication_id, known_at_terbit
    from publikasi
    where {{ angka }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

indicators as (
    select * from {{ ref('fct_indicator_quarterly') }}
),

budget as (
    select * from {{ ref('fct_budget_quarterly') }}
),

computed as (
    {%- for angka, column in [('nilai', 'nilai_dibulatkan'), ('capaian', 'capaian_pct')] %}
    select kode_indikator as kode, nama_indikator as nama, tahun, triwulan, '{{ angka }}' as angka,
        {{ figure % column }} as dihitung
    from indicators
    union all
    {%- endfor %}
    {%- for angka, column in [('pagu', 'pagu'), ('realisasi', 'realisasi'), ('serapan', 'serapan_pct')] %}
    select kode, nama, tahun, triwulan, '{{ angka }}' as angka, {{ figure % column }} as dihitung
    from budget
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- the source kinds whose record versions feed a printed figure: an indicator's (seed
-- indikator_sumber) for nilai and capaian, the budget's for pagu, realisasi and serapan
feeders as (
    select kode_indikator as kode, source, kind, false as anggaran from {{ ref('indikator_sumber') }}
    union all
    select cast(null as {{ dbt.type_string() }}), 'ledger', 'anggaran', true
    union all
    select cast(null as {{ dbt.type_string() }}), 'ledger', 'realisasi', true
),

-- printed figures that a record version unknown when their report was issued feeds
changed as (
    select distinct {% for column in printed_key %}printed.{{ column }}{{ ', ' if not loop.last }}{% endfor %}
    from printed
    inner join feeders
        on feeders.anggaran = (printed.angka in ('pagu', 'realisasi', 'serapan'))
        and (feeders.anggaran or feeders.kode = printed.kode)
    inner join {{ ref('int_record_versions_after_publication') }} as versions
        on versions.source = feeders.source
        and versions.kind = feeders.kind
        and (versions.untuk_kode_indikator is null or versions.untuk_kode_indikator = printed.kode)
        and {{ feeds_quarter('versions', 'printed.tahun', 'printed.triwulan', 'printed.as_of_date') }}
        and case
            when printed.known_at_terbit is not null then versions.ingested_at > printed.known_at_terbit
            else versions.extracted_on > printed.tanggal_terbit
        end
),

judged as (
    select
        printed.*,
        computed.nama,
        computed.dihitung,
        {{ printed_agrees('printed.angka', 'printed.tercetak', 'computed.dihitung') }} as sesuai,
        changed.dokumen is not null as berubah_sejak_terbit,
        case when changed.dokumen is null then computed.dihitung else terbit.dihitung end as dihitung_saat_terbit,
        changed.dokumen is null or terbit.dokumen is not null as saat_terbit_diketahui
    from printed
    left join computed
        on computed.kode = printed.kode
        and computed.tahun = printed.tahun
        and computed.triwulan = printed.triwulan
        and computed.angka = printed.angka
    left join changed
        on {% for column in printed_key %}changed.{{ column }} = printed.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
    left join {{ ref('stg_terbit__angkas') }} as terbit
        on {% for column in printed_key %}terbit.{{ column }} = printed.{{ column }} and {% endfor %}
        terbit.tanggal_terbit = printed.tanggal_terbit
        and terbit.publication_id is not distinct from printed.publication_id
)

select
    dokumen,
    tabel,
    kode,
    nama,
    tahun,
    triwulan,
    angka,
    tercetak,
    dihitung,
    sesuai,
    case
        when sesuai or not saat_terbit_diketahui then null
        when {{ printed_agrees('angka', 'tercetak', 'dihitung_saat_terbit') }} then 'koreksi susulan'
        else 'salah cetak'
    end as jenis_selisih,
    dihitung_saat_terbit,
    tanggal_terbit,
    publication_id,
    known_at_terbit,
    berubah_sejak_terbit,
    {{ knowledge_time() }} as known_at
from judged
