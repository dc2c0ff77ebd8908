-- The rule is written once, as dbt's test
-- dbt_project/tests/anggaran/assert_fct_budget_quarterly_iku_equals_its_programs.sql; dbt keeps it as this
-- view of the rows breaking it (store_failures_as view), which the gate counts and samples.
select * from dbt_test__audit.assert_fct_budget_quarterly_iku_equals_its_programs
