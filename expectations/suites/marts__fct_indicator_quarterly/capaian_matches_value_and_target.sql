-- Returns each indicator row whose capaian_pct is not its rounded value against its target
-- (indicators.md, Achievement): nilai_dibulatkan ÷ target × 100 when higher is better,
-- (2 × target − nilai_dibulatkan) ÷ target × 100 when lower is better, within the rounding to
-- 2 decimals (0.005, plus room for floating point); null exactly when value or target is missing
-- or the target is 0.
with direction as (
    select distinct kode_indikator, lebih_tinggi_lebih_baik
    from marts.dim_indicator
),

expected as (
    select
        fact.kode_indikator,
        fact.tahun,
        fact.triwulan,
        fact.nilai_dibulatkan,
        fact.target,
        fact.capaian_pct,
        case
            when fact.target = 0 then null
            when direction.lebih_tinggi_lebih_baik then fact.nilai_dibulatkan / fact.target * 100
            else (2 * fact.target - fact.nilai_dibulatkan) / fact.target * 100
        end as capaian_expected
    from marts.fct_indicator_quarterly as fact
    left join direction on direction.kode_indikator = fact.kode_indikator
)

select *
from expected
where (capaian_pct is null) <> (capaian_expected is null)
    or abs(capaian_pct - capaian_expected) > 0.0050001
