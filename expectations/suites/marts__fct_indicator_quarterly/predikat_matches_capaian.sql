-- Returns each indicator row whose predikat is not the grade of its capaian (indicators.md):
-- above 100 SB, above 80 B, above 55 C, otherwise K; none without a capaian.
with graded as (
    select
        kode_indikator,
        tahun,
        triwulan,
        capaian_pct,
        predikat,
        case
            when capaian_pct > 100 then 'SB'
            when capaian_pct > 80 then 'B'
            when capaian_pct > 55 then 'C'
            when capaian_pct is not null then 'K'
        end as predikat_expected
    from marts.fct_indicator_quarterly
)

select *
from graded
where predikat is distinct from predikat_expected
