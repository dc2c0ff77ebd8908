-- Returns each budget row whose serapan_pct is not realisasi ÷ pagu × 100 within the rounding to
-- 2 decimals (0.005, plus room for floating point); null exactly when pagu is 0 (indicators.md, Budget).
with expected as (
    select
        level,
        kode,
        tahun,
        triwulan,
        pagu,
        realisasi,
        serapan_pct,
        case when pagu <> 0 then realisasi / pagu * 100 end as serapan_expected
    from marts.fct_budget_quarterly
)

select *
from expected
where (serapan_pct is null) <> (serapan_expected is null)
    or abs(serapan_pct - serapan_expected) > 0.0050001
