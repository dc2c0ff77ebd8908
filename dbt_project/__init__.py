"""The dbt project, shipped as package data of `kumkm.dbt_project` (pyproject.toml): code finds it
with importlib.resources.files("kumkm.dbt_project")."""
