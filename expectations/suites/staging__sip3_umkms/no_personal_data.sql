-- Returns each staging column that carries personal data: nama_pemilik, nik_pemilik, no_hp and
-- alamat stay in the event store (sources.md, sip3 / umkm).
select table_name, column_name
from information_schema.columns
where table_catalog = current_database()
    and table_schema = 'staging'
    and column_name in ('nama_pemilik', 'nik_pemilik', 'no_hp', 'alamat')
