-- Returns each mart column that carries personal data: no personal data anywhere in the serving
-- database (marts.md; sources.md, sip3 / umkm).
select table_name, column_name
from information_schema.columns
where table_catalog = current_database()
    and table_schema = 'marts'
    and column_name in ('nama_pemilik', 'nik_pemilik', 'no_hp', 'alamat')
