{#- Budget-absorption indicators (catalogue method `serapan`, i.e. PRG-01A) per quarter:
    realisation of the indicator's program to D over its pagu in force on D. -#}
with serapan_indicators as (
    select kode_indikator, kode_program
    from {{ ref('indikator') }}
    where metode = 'serapan'
),

program_budgets as (
    select
        tahun,
        triwulan,
        kode_program,
        sum(realisasi) as realisasi,
        sum(pagu) as pagu
    from {{ ref('int_sub_kegiatan_budgets_replayed') }}
    group by tahun, triwulan, kode_program
)

select
    cast(serapan_indicators.kode_indikator as {{ dbt.type_string() }}) as kode_indikator,
    quarters.tahun,
    quarters.triwulan,
    quarters.as_of_date,
    cast(coalesce(program_budgets.realisasi, 0) as decimal(38, 6)) as numerator,
    cast(coalesce(program_budgets.pagu, 0) as decimal(38, 6)) as denominator
from {{ ref('int_quarters') }} as quarters
cross join serapan_indicators
left join program_budgets
    on program_budgets.tahun = quarters.tahun
    and program_budgets.triwulan = quarters.triwulan
    and program_budgets.kode_program = serapan_indicators.kode_program
