{#- Every figure a published report printed beside the warehouse's own figure for the same code
    and quarter (docs/contracts/sources.md, manual / publikasi). -#}
{%- set figure = "cast(%s as decimal(24, 6))" -%}

with publikasi as (
    select * from {{ ref('stg_manual__publikasis') }}
),

printed as (
    {%- for angka in ['nilai', 'capaian', 'pagu', 'realisasi', 'serapan'] %}
    select dokumen, tabel, kode, tahun, triwulan, '{{ angka }}' as angka, {{ figure % angka }} as tercetak
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
)

select
    printed.dokumen,
    printed.tabel,
    printed.kode,
    computed.nama,
    printed.tahun,
    printed.triwulan,
    printed.angka,
    printed.tercetak,
    computed.dihitung,
    case
        when computed.dihitung is null then false
        when printed.angka in ('pagu', 'realisasi') then printed.tercetak = computed.dihitung
        else {{ agrees_as_printed('printed.tercetak', 'computed.dihitung') }}
    end as sesuai,
    {{ knowledge_time() }} as known_at
from printed
left join computed
    on computed.kode = printed.kode
    and computed.tahun = printed.tahun
    and computed.triwulan = printed.triwulan
    and computed.angka = printed.angka
