{#- One row per observation of a business, with the rules that depend on the observation alone
    (indicators.md, Businesses), computed once so every as-of day reuses them. Built on from its
    last build (macros/batch_watermark.sql): the businesses with an observation staged since are
    computed again, all their observations (each one's rules read its neighbours). DuckDB deletes
    and inserts them faster than it merges them; observations never go (but in a full refresh), so
    a merge on the observation does the same elsewhere (dbt-spark with Delta or Iceberg). Spark's
    Parquet tables cannot merge: there, built whole, as the staging models of the events. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='delete+insert' if target.type == 'duckdb' else 'merge',
    unique_key='id_umkm' if target.type == 'duckdb' else ['id_umkm', 'tanggal_pendataan'],
    meta={'batch_watermark': true},
    post_hook="{{ remember_watermark(ref('stg_sip3__umkms')) if target.type != 'spark' }}",
) }}

{%- set mark = watermark() if is_incremental() else none %}

with pendataan as (
    select * from {{ ref('stg_sip3__umkms') }}
    {%- if mark %}
    where id_umkm in (select id_umkm from {{ ref('stg_sip3__umkms') }} where {{ since_watermark(mark) }})
    {%- endif %}
),

-- the rules of the observation alone first, so that the window below sorts their results rather
-- than the columns they read (1 s of CPU at 100 times the sample)
aturan as (
    select
        id_umkm,
        tanggal_pendataan,
        kecamatan,
        omzet_tahunan,
        -- PP 7/2021: by annual sales when present, else by capital (M = Rp 1,000,000,000)
        case
            when omzet_tahunan is not null then
                case
                    when omzet_tahunan <= 2000000000 then 'Mikro'
                    when omzet_tahunan <= 15000000000 then 'Kecil'
                    when omzet_tahunan <= 50000000000 then 'Menengah'
                    else 'Besar'
                end
            when modal_usaha is not null then
                case
                    when modal_usaha <= 1000000000 then 'Mikro'
                    when modal_usaha <= 5000000000 then 'Kecil'
                    when modal_usaha <= 10000000000 then 'Menengah'
                    else 'Besar'
                end
        end as skala,
        -- registered micro on D = terdata_sejak <= D; entrepreneur on D = wirausaha_sejak <= D
        case
            when coalesce(trim(skb), '') <> '' and status_usaha = 'Aktif' then tanggal_skb
        end as terdata_sejak,
        case
            when coalesce(trim(skb), '') <> '' and coalesce(trim(nib), '') <> '' and status_usaha = 'Aktif' then
                case
                    when tanggal_nib >= tanggal_skb then tanggal_nib
                    when tanggal_skb > tanggal_nib then tanggal_skb
                end
        end as wirausaha_sejak,
        coalesce(is_pkl and coalesce(trim(tdu_pkl), '') <> '' and status_usaha = 'Aktif', false) as is_pkl_terdaftar
    from pendataan
),

riwayat as (
    select
        *,
        lag(skala) over (partition by id_umkm order by tanggal_pendataan) as skala_sebelumnya,
        -- the state this observation describes holds from its day until the next observation (exclusive)
        coalesce(
            lead(tanggal_pendataan) over (partition by id_umkm order by tanggal_pendataan),
            cast('9999-12-31' as date)
        ) as berlaku_sampai
    from aturan
)

select
    id_umkm,
    tanggal_pendataan,
    berlaku_sampai,
    kecamatan,
    omzet_tahunan,
    skala,
    skala_sebelumnya,
    coalesce(skala = 'Kecil' and skala_sebelumnya = 'Mikro', false) as is_naik_kelas,
    terdata_sejak,
    wirausaha_sejak,
    is_pkl_terdaftar,
    -- the observation counts as a registered micro business (an entrepreneur, a registered street
    -- vendor) on every D with *_dari <= D < berlaku_sampai; null: never
    case when terdata_sejak <= tanggal_pendataan then tanggal_pendataan else terdata_sejak end as mikro_terdata_dari,
    case when wirausaha_sejak <= tanggal_pendataan then tanggal_pendataan else wirausaha_sejak end as wirausaha_dari,
    case when is_pkl_terdaftar then tanggal_pendataan end as pkl_terdaftar_dari
from riwayat
