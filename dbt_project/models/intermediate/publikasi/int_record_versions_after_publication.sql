{#- Every record version that wins at K and that a publication may not have known: ingested after
    the first publication's knowledge time (`kumkm publish`), or extracted after the earliest issue
    date of a printed report (manual/publikasi). None while nothing is published. The versions that
    can explain a restatement (int_indicator_input_events) or show that a printed figure may have
    changed since its report was issued (fct_publikasi_audit). A delivered figure (manual/indikator)
    is for one indicator and quarter (untuk_*); any other version counts in every quarter ending on
    or after its valid date. -#}
{%- set kinds = [('ods', 'rat', 'stg_ods__rats'), ('ods', 'kegiatan', 'stg_ods__kegiatans'),
                 ('sip3', 'umkm', 'stg_sip3__umkms'), ('sip3', 'pembinaan', 'stg_sip3__pembinaans'),
                 ('ledger', 'anggaran', 'stg_ledger__anggarans'),
                 ('ledger', 'realisasi', 'stg_ledger__realisasis'),
                 ('manual', 'indikator', 'stg_manual__indikators')] %}

with first_publication as (
    select min(known_at) as known_at from {{ ref('stg_publish__publications') }}
),

first_issue as (
    select min(tanggal_terbit) as tanggal_terbit from {{ ref('stg_manual__publikasis') }}
),

versions as (
    {%- for source, kind, model in kinds %}
    select
        '{{ source }}' as source,
        '{{ kind }}' as kind,
        {%- if kind == 'indikator' %}
        kode_indikator as untuk_kode_indikator,
        tahun as untuk_tahun,
        triwulan as untuk_triwulan,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as untuk_kode_indikator,
        cast(null as integer) as untuk_tahun,
        cast(null as integer) as untuk_triwulan,
        {%- endif %}
        record_key,
        valid_date,
        extracted_on,
        source_file,
        row_number,
        ingested_at
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select versions.*
from versions
cross join first_publication
cross join first_issue
where versions.ingested_at > first_publication.known_at
    or versions.extracted_on > first_issue.tanggal_terbit
