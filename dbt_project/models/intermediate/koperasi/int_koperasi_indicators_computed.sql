{#- Numerator and denominator of the cooperative indicators (indicators.md, Catalogue) for every
    quarter built; the value numerator ÷ denominator × 100 is taken downstream. -#}
with quarters as (
    select tahun, triwulan, as_of_date from {{ ref('int_quarters') }}
),

koperasi_aktif as (
    select *
    from {{ ref('int_koperasi_states_replayed') }}
    where is_aktif
),

koperasi_aktif_totals as (
    select
        tahun,
        triwulan,
        count(*) as koperasi_aktif,
        sum(case when is_berkualitas then 1 else 0 end) as koperasi_berkualitas,
        sum(case when has_nib_simpan_pinjam then 1 else 0 end) as koperasi_nib_simpan_pinjam,
        sum(case when is_diperiksa then 1 else 0 end) as koperasi_diperiksa,
        sum(case when is_dinilai then 1 else 0 end) as koperasi_dinilai,
        sum(peserta_diklat) as peserta_diklat,
        sum(jumlah_pengurus) as jumlah_pengurus,
        sum(volume_usaha_ytd) as volume_usaha_ytd,
        sum(volume_usaha_tahun_lalu) as volume_usaha_tahun_lalu
    from koperasi_aktif
    group by tahun, triwulan
),

-- Every quarter gets its figures, zeros when no cooperative is active (a null value downstream).
quarter_totals as (
    select
        quarters.tahun,
        quarters.triwulan,
        quarters.as_of_date,
        coalesce(totals.koperasi_aktif, 0) as koperasi_aktif,
        coalesce(totals.koperasi_berkualitas, 0) as koperasi_berkualitas,
        coalesce(totals.koperasi_nib_simpan_pinjam, 0) as koperasi_nib_simpan_pinjam,
        coalesce(totals.koperasi_diperiksa, 0) as koperasi_diperiksa,
        coalesce(totals.koperasi_dinilai, 0) as koperasi_dinilai,
        coalesce(totals.peserta_diklat, 0) as peserta_diklat,
        coalesce(totals.jumlah_pengurus, 0) as jumlah_pengurus,
        coalesce(totals.volume_usaha_ytd, 0) as volume_usaha_ytd,
        coalesce(totals.volume_usaha_tahun_lalu, 0) as volume_usaha_tahun_lalu
    from quarters
    left join koperasi_aktif_totals as totals
        on totals.tahun = quarters.tahun
        and totals.triwulan = quarters.triwulan
),

indicator_figures as (
    select 'IKU-01' as kode_indikator, tahun, triwulan, as_of_date,
        koperasi_berkualitas as numerator, koperasi_aktif as denominator
    from quarter_totals
    union all
    select 'PRG-02', tahun, triwulan, as_of_date, koperasi_nib_simpan_pinjam, koperasi_aktif
    from quarter_totals
    union all
    select 'PRG-03', tahun, triwulan, as_of_date, koperasi_diperiksa, koperasi_aktif
    from quarter_totals
    union all
    select 'PRG-04', tahun, triwulan, as_of_date, koperasi_dinilai, koperasi_aktif
    from quarter_totals
    union all
    select 'PRG-05', tahun, triwulan, as_of_date, peserta_diklat, jumlah_pengurus
    from quarter_totals
    union all
    -- Growth rates: the same cooperatives (active on D) for both periods.
    select 'PRG-06', tahun, triwulan, as_of_date,
        volume_usaha_ytd - volume_usaha_tahun_lalu, volume_usaha_tahun_lalu
    from quarter_totals
    union all
    select 'RPD-02', tahun, triwulan, as_of_date,
        volume_usaha_ytd - volume_usaha_tahun_lalu, volume_usaha_tahun_lalu
    from quarter_totals
)

select
    cast(kode_indikator as {{ dbt.type_string() }}) as kode_indikator,
    cast(tahun as integer) as tahun,
    cast(triwulan as integer) as triwulan,
    cast(as_of_date as date) as as_of_date,
    cast(numerator as decimal(38, 6)) as numerator,
    cast(denominator as decimal(38, 6)) as denominator
from indicator_figures
