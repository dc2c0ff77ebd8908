-- Returns each table marts.md promises that the build did not make.
select expected.table_name
from (values
    ('fct_indicator_quarterly'), ('fct_budget_quarterly'), ('fct_koperasi_kecamatan_quarterly'),
    ('fct_umkm_kecamatan_quarterly'), ('dim_indicator'), ('dim_program'), ('dim_kecamatan'),
    ('fct_publikasi_audit'), ('fct_efisiensi_quarterly'), ('fct_indicator_basis'), ('fct_budget_basis')
) as expected (table_name)
where expected.table_name not in (
    select table_name
    from information_schema.tables
    where table_catalog = current_database() and table_schema = 'marts'
)
