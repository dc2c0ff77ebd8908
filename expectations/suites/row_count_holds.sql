-- Returns each quarter whose row count fell below min_ratio of the previous quarter built: a mart
-- that suddenly loses rows lost an input or a join, not part of the department's work. Shared by the
-- quarterly marts' suites: {table} is the suite's table.
with settings as (
    select 0.5 as min_ratio
),

per_quarter as (
    select tahun, triwulan, count(*) as row_count
    from {table}
    group by tahun, triwulan
),

compared as (
    select
        tahun,
        triwulan,
        row_count,
        lag(row_count) over (order by tahun, triwulan) as previous_row_count
    from per_quarter
)

select compared.*
from compared
cross join settings
where compared.row_count < settings.min_ratio * compared.previous_row_count
