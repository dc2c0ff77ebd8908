-- The refresh benchmark's floor: the figures `kumkm refresh --all` publishes in marts.fct_indicator_quarterly and
-- marts.fct_budget_quarterly, for every quarter with data, by hand from the event store, with the rules of
-- docs/contracts/indicators.md. refresh.py runs it in one fresh process on events.duckdb opened read-only, from the
-- repository's root (the indicator catalogue is the dbt seeds'), then reads indicator_figures and budget_figures.

-- n / d x 100 rounded half away from zero to a unit of 10^-places (unit = 10^places), as a count of units: exact,
-- no float (amounts have at most 2 decimals, so n and d times 100 are whole)
create temp macro percent_units(n, d, unit) as
    sign(n) * sign(d) * ((abs(n * 100)::hugeint * 200 * unit + abs(d * 100)::hugeint) // (2 * abs(d * 100)::hugeint));
-- every event ingested so far is known now: per record key, the version of the latest extraction (then batch)
create temp macro latest(events) as table
    from query_table(events)
    where (record_key, extracted_on, batch_id) in (
        select record_key, max(extracted_on), arg_max(batch_id, (extracted_on, batch_id))
        from query_table(events)
        group by record_key);

create temp table rat as
    select nik, tahun_buku, tanggal_rat, valid_date as tanggal_efektif, status_koperasi, jumlah_pengurus, aset,
        volume_usaha
    from latest('ods.rat');
create temp table kegiatan as select nik, tanggal, jenis, jumlah_peserta from latest('ods.kegiatan');
-- an observation's facts that depend on it alone
create temp table umkm as
    select
        id_umkm, tanggal_pendataan, omzet_tahunan,
        case  -- scale after PP 7/2021: by annual sales when given, else by capital
            when omzet_tahunan is not null then
                case when omzet_tahunan <= 2_000_000_000 then 'Mikro'
                     when omzet_tahunan <= 15_000_000_000 then 'Kecil'
                     when omzet_tahunan <= 50_000_000_000 then 'Menengah' else 'Besar' end
            when modal_usaha is not null then
                case when modal_usaha <= 1_000_000_000 then 'Mikro'
                     when modal_usaha <= 5_000_000_000 then 'Kecil'
                     when modal_usaha <= 10_000_000_000 then 'Menengah' else 'Besar' end
        end as skala,
        -- registered micro on D when terdata_sejak <= D, entrepreneur when wirausaha_sejak <= D
        case when trim(skb) <> '' and status_usaha = 'Aktif' then tanggal_skb end as terdata_sejak,
        case when trim(skb) <> '' and trim(nib) <> '' and status_usaha = 'Aktif' then greatest(tanggal_skb, tanggal_nib)
        end as wirausaha_sejak,
        coalesce(informal_pkl = 'Ya' and trim(tdu_pkl) <> '' and status_usaha = 'Aktif', false) as pkl_terdaftar
    from latest('sip3.umkm');
create temp table pembinaan as select id_umkm, tanggal from latest('sip3.pembinaan');
create temp table anggaran as
    select tahun_anggaran, tahap, tanggal_penetapan, kode_sub_kegiatan, pagu, ingested_at
    from latest('ledger.anggaran');
create temp table realisasi as
    select tahun_anggaran, tanggal_sp2d, kode_sub_kegiatan, nilai from latest('ledger.realisasi');
create temp table manual as select kode_indikator, tahun, triwulan, nilai from latest('manual.indikator');
-- the indicator catalogue and the program <-> key indicator map, as the refresh has them (dbt seeds)
create temp table catalogue as select * from read_csv('dbt_project/seeds/indikator.csv', all_varchar = true);
create temp table program_indicator as
    select * from read_csv('dbt_project/seeds/program_indikator.csv', all_varchar = true);

-- every quarter end D of a year with data, from the quarter of the first day with data to that of the last
create temp table quarters as
with data_days as (
    select tanggal_efektif as hari from rat
    union all select tanggal from kegiatan
    union all select tanggal_pendataan from umkm
    union all select tanggal from pembinaan
    union all select tanggal_penetapan from anggaran
    union all select tanggal_sp2d from realisasi
    union all select make_date(tahun, triwulan * 3, 1) from manual
)
select
    tahun, triwulan, as_of_date, make_date(tahun, 1, 1) as year_start,
    make_date(tahun - 1, 1, 1) as previous_year_start, last_day(make_date(tahun - 1, triwulan * 3, 1)) as previous_d
from (
    select tahun, triwulan, last_day(make_date(tahun, triwulan * 3, 1)) as as_of_date
    from (select distinct year(hari) as tahun from data_days), range(1, 5) as q(triwulan)
)
where as_of_date >= (select min(hari) from data_days)
    and make_date(tahun, triwulan * 3 - 2, 1) <= (select max(hari) from data_days);

-- per quarter and sub-activity of its year's budget or payments: pagu murni, pagu in force on D, realisasi to D
create temp table sub_kegiatan_budget as
with versi as (  -- each budget version: when it took effect (its latest delivery says), its place in the year
    select
        tahun_anggaran, tahap, berlaku,
        row_number() over (
            partition by tahun_anggaran
            order by berlaku, case tahap when 'MURNI' then 1 when 'PERGESERAN' then 2 else 3 end
        ) as urutan
    from (
        select tahun_anggaran, tahap, arg_max(tanggal_penetapan, ingested_at) as berlaku
        from anggaran
        group by tahun_anggaran, tahap
    )
),
versi_berlaku as (
    select q.tahun, q.triwulan, max(v.urutan) as urutan
    from quarters as q
    join versi as v on v.tahun_anggaran = q.tahun and v.berlaku <= q.as_of_date
    group by q.tahun, q.triwulan
),
baris as (select a.*, v.urutan from anggaran as a join versi as v using (tahun_anggaran, tahap)),
sub_kegiatan as (
    select tahun_anggaran, kode_sub_kegiatan from anggaran
    union select tahun_anggaran, kode_sub_kegiatan from realisasi
),
dibayar as (
    select q.tahun, q.triwulan, p.kode_sub_kegiatan, sum(p.nilai) as realisasi
    from quarters as q
    join realisasi as p on p.tahun_anggaran = q.tahun and p.tanggal_sp2d between q.year_start and q.as_of_date
    group by q.tahun, q.triwulan, p.kode_sub_kegiatan
)
select
    q.tahun, q.triwulan, s.kode_sub_kegiatan, coalesce(murni.pagu, 0) as pagu_murni,
    coalesce(berlaku.pagu, 0) as pagu, coalesce(dibayar.realisasi, 0) as realisasi
from quarters as q
join sub_kegiatan as s on s.tahun_anggaran = q.tahun
left join baris as murni
    on murni.tahun_anggaran = q.tahun and murni.kode_sub_kegiatan = s.kode_sub_kegiatan and murni.tahap = 'MURNI'
left join versi_berlaku as vb on vb.tahun = q.tahun and vb.triwulan = q.triwulan
left join baris as berlaku
    on berlaku.tahun_anggaran = q.tahun and berlaku.kode_sub_kegiatan = s.kode_sub_kegiatan
    and berlaku.urutan = vb.urutan
left join dibayar
    on dibayar.tahun = q.tahun and dibayar.triwulan = q.triwulan and dibayar.kode_sub_kegiatan = s.kode_sub_kegiatan;

-- the indicators of every quarter: numerator, denominator and value of the computed ones, the figure delivered
-- for the manual ones
create temp table indicator_figures as
with
-- cooperatives
koperasi_state as (  -- a rat row is its cooperative's state from its effective date until the next row's
    select
        nik, status_koperasi, jumlah_pengurus, tanggal_efektif,
        lead(tanggal_efektif, 1, date '9999-12-31') over (partition by nik order by tanggal_efektif, tahun_buku)
            as berlaku_sampai
    from rat
),
rat_held as (  -- each RAT held is its cooperative's latest until the next one held
    select
        nik, tahun_buku, tanggal_rat, volume_usaha, aset,
        lead(tanggal_rat, 1, date '9999-12-31') over (partition by nik order by tanggal_rat, tahun_buku)
            as rat_berikutnya,
        -- the volume of the RATs held in its year up to it
        sum(volume_usaha) over (
            partition by nik, year(tanggal_rat) order by tanggal_rat, tahun_buku rows unbounded preceding
        ) as volume_tahun_berjalan
    from rat
    where tanggal_rat is not null
),
rat_meningkat as (  -- a RAT whose volume and assets beat the previous report held (the latest earlier book year)
    select r.nik, r.tahun_buku
    from rat_held as r
    join rat_held as previous
        on previous.nik = r.nik and previous.tahun_buku < r.tahun_buku and previous.tanggal_rat <= r.tanggal_rat
    group by r.nik, r.tahun_buku, r.volume_usaha, r.aset
    having r.volume_usaha > arg_max(previous.volume_usaha, previous.tahun_buku)
        and r.aset > arg_max(previous.aset, previous.tahun_buku)
),
kegiatan_by_d as (
    select
        q.tahun, q.triwulan, k.nik,
        bool_or(k.jenis = 'NIB_SIMPAN_PINJAM') as nib_simpan_pinjam,
        bool_or(k.jenis = 'PEMERIKSAAN' and k.tanggal >= q.year_start) as diperiksa,
        bool_or(k.jenis = 'PENILAIAN_KESEHATAN' and k.tanggal >= q.year_start) as dinilai,
        sum(k.jumlah_peserta) filter (where k.jenis = 'DIKLAT' and k.tanggal >= q.year_start) as peserta_diklat
    from quarters as q
    join kegiatan as k on k.tanggal <= q.as_of_date
    group by q.tahun, q.triwulan, k.nik
),
koperasi_aktif as (  -- per quarter, the cooperatives active on D: not Bubar, their latest RAT held since 1 Jan N-2
    select
        q.tahun, q.triwulan, s.jumlah_pengurus,
        -- the latest RAT held by D, when held in year N: it beat the previous one, the year's volume to D
        year(r.tanggal_rat) = q.tahun and m.nik is not null as berkualitas,
        case when year(r.tanggal_rat) = q.tahun then r.volume_tahun_berjalan end as volume,
        -- the RATs held from 1 Jan N-1 to D's day a year earlier, through the latest RAT held by then
        case when year(before.tanggal_rat) = q.tahun - 1 then before.volume_tahun_berjalan end as volume_tahun_lalu,
        k.nib_simpan_pinjam, k.diperiksa, k.dinilai, k.peserta_diklat
    from quarters as q
    join koperasi_state as s on s.tanggal_efektif <= q.as_of_date and q.as_of_date < s.berlaku_sampai
    join rat_held as r
        on r.nik = s.nik and r.tanggal_rat <= q.as_of_date and q.as_of_date < r.rat_berikutnya
        and r.tanggal_rat >= make_date(q.tahun - 2, 1, 1)
    left join rat_meningkat as m on m.nik = r.nik and m.tahun_buku = r.tahun_buku
    left join rat_held as before
        on before.nik = s.nik and before.tanggal_rat <= q.previous_d and q.previous_d < before.rat_berikutnya
    left join kegiatan_by_d as k on k.tahun = q.tahun and k.triwulan = q.triwulan and k.nik = s.nik
    where s.status_koperasi <> 'Bubar'
),
koperasi as (
    select
        q.tahun, q.triwulan,
        count(a.tahun) as aktif,
        count(*) filter (where a.berkualitas) as berkualitas,
        count(*) filter (where a.nib_simpan_pinjam) as nib_simpan_pinjam,
        count(*) filter (where a.diperiksa) as diperiksa,
        count(*) filter (where a.dinilai) as dinilai,
        coalesce(sum(a.peserta_diklat), 0) as peserta_diklat,
        coalesce(sum(a.jumlah_pengurus), 0) as pengurus,
        coalesce(sum(a.volume), 0) as volume,
        coalesce(sum(a.volume_tahun_lalu), 0) as volume_tahun_lalu
    from quarters as q
    left join koperasi_aktif as a on a.tahun = q.tahun and a.triwulan = q.triwulan
    group by q.tahun, q.triwulan
),

-- businesses
observation as (  -- each observation is its business's state from its day until the next observation
    select
        id_umkm, tanggal_pendataan, omzet_tahunan, terdata_sejak, wirausaha_sejak, pkl_terdaftar,
        lead(tanggal_pendataan, 1, date '9999-12-31') over by_day as berlaku_sampai,
        coalesce(skala = 'Kecil' and lag(skala) over by_day = 'Mikro', false) as naik_kelas
    from umkm
    window by_day as (partition by id_umkm order by tanggal_pendataan)
),
counted as (  -- an observation counts in a figure from a day until the next observation
    select 'mikro_terdata' as hitungan, greatest(tanggal_pendataan, terdata_sejak) as dari, berlaku_sampai as sampai
    from observation where terdata_sejak is not null
    union all
    select 'wirausaha', greatest(tanggal_pendataan, wirausaha_sejak), berlaku_sampai
    from observation where wirausaha_sejak is not null
    union all
    select 'pkl_terdaftar', tanggal_pendataan, berlaku_sampai from observation where pkl_terdaftar
),
counted_steps as (  -- per figure and quarter: the observations that start counting in it less those that stop
    select hitungan, date_trunc('quarter', dari) as kuartal, count(*) as n from counted where dari < sampai group by all
    union all
    select hitungan, date_trunc('quarter', sampai), -count(*) from counted where dari < sampai group by all
),
usaha_by_day as (  -- on each quarter end and the same day a year earlier: the steps of the quarters up to its own
    select
        days.hari,
        coalesce(sum(s.n) filter (where s.hitungan = 'mikro_terdata'), 0) as mikro_terdata,
        coalesce(sum(s.n) filter (where s.hitungan = 'wirausaha'), 0) as wirausaha,
        coalesce(sum(s.n) filter (where s.hitungan = 'pkl_terdaftar'), 0) as pkl_terdaftar
    from (select as_of_date as hari from quarters union select previous_d from quarters) as days
    left join counted_steps as s on s.kuartal <= date_trunc('quarter', days.hari)
    group by days.hari
),
usaha_tahunan as (  -- per business and year N: its first facilitation, its first move up, its first facilitation in N-1
    select
        id_umkm, tahun, min(dibina_sejak) as dibina_sejak, min(naik_kelas_sejak) as naik_kelas_sejak,
        min(dibina_tahun_lalu_sejak) as dibina_tahun_lalu_sejak
    from (
        select id_umkm, year(tanggal) as tahun, tanggal as dibina_sejak, null::date as naik_kelas_sejak,
            null::date as dibina_tahun_lalu_sejak
        from pembinaan
        union all select id_umkm, year(tanggal) + 1, null, null, tanggal from pembinaan
        union all
        select id_umkm, year(tanggal_pendataan), null, tanggal_pendataan, null from observation where naik_kelas
    )
    group by id_umkm, tahun
),
usaha_disorot as (  -- per quarter, the businesses facilitated or moved up in year N by D or facilitated in N-1 by
                    -- the same day: their state on D (and on that day) decides the other figures
    select
        q.tahun, q.triwulan,
        on_d.terdata_sejak <= q.as_of_date as mikro_terdata,
        coalesce(t.naik_kelas_sejak <= q.as_of_date, false) as naik_kelas,
        coalesce(t.dibina_sejak <= q.as_of_date, false) as dibina,
        on_d.pkl_terdaftar,
        on_d.tanggal_pendataan >= q.year_start as didata_tahun_ini,
        on_d.omzet_tahunan,
        before.omzet_tahunan as omzet_tahun_lalu
    from quarters as q
    join usaha_tahunan as t
        on t.tahun = q.tahun
        and (t.dibina_sejak <= q.as_of_date or t.naik_kelas_sejak <= q.as_of_date
             or t.dibina_tahun_lalu_sejak <= q.previous_d)
    join observation as on_d
        on on_d.id_umkm = t.id_umkm and on_d.tanggal_pendataan <= q.as_of_date and q.as_of_date < on_d.berlaku_sampai
    left join observation as before  -- the state a year before D, when facilitated by then and observed since 1 Jan N-1
        on before.id_umkm = t.id_umkm and t.dibina_tahun_lalu_sejak <= q.previous_d
        and before.tanggal_pendataan between q.previous_year_start and q.previous_d
        and q.previous_d < before.berlaku_sampai
),
usaha as (
    select
        q.tahun, q.triwulan,
        on_d.mikro_terdata, on_d.wirausaha, on_d.pkl_terdaftar,
        before.wirausaha as wirausaha_tahun_lalu,
        count(u.tahun) filter (where u.naik_kelas and u.mikro_terdata) as naik_kelas,
        count(u.tahun) filter (where u.dibina and u.pkl_terdaftar) as pkl_diberdayakan,
        coalesce(sum(u.omzet_tahunan) filter (where u.dibina and u.mikro_terdata and u.didata_tahun_ini), 0) as volume,
        coalesce(sum(u.omzet_tahun_lalu) filter (where u.mikro_terdata), 0) as volume_tahun_lalu
    from quarters as q
    join usaha_by_day as on_d on on_d.hari = q.as_of_date
    join usaha_by_day as before on before.hari = q.previous_d
    left join usaha_disorot as u on u.tahun = q.tahun and u.triwulan = q.triwulan
    group by all
),

computed as (
    select 'IKU-01' as kode_indikator, tahun, triwulan, berkualitas as numerator, aktif as denominator from koperasi
    union all select 'PRG-02', tahun, triwulan, nib_simpan_pinjam, aktif from koperasi
    union all select 'PRG-03', tahun, triwulan, diperiksa, aktif from koperasi
    union all select 'PRG-04', tahun, triwulan, dinilai, aktif from koperasi
    union all select 'PRG-05', tahun, triwulan, peserta_diklat, pengurus from koperasi
    union all select 'PRG-06', tahun, triwulan, volume - volume_tahun_lalu, volume_tahun_lalu from koperasi
    union all select 'RPD-02', tahun, triwulan, volume - volume_tahun_lalu, volume_tahun_lalu from koperasi
    union all select 'IKU-02', tahun, triwulan, naik_kelas, mikro_terdata from usaha
    union all select 'PRG-07', tahun, triwulan, pkl_diberdayakan, pkl_terdaftar from usaha
    union all select 'PRG-08A', tahun, triwulan, wirausaha, mikro_terdata from usaha
    union all select 'PRG-08B', tahun, triwulan, wirausaha - wirausaha_tahun_lalu, wirausaha_tahun_lalu from usaha
    union all select 'RPD-03', tahun, triwulan, volume - volume_tahun_lalu, volume_tahun_lalu from usaha
    union all  -- absorption: realisasi of the indicator's program to D over its pagu in force on D
    select i.kode_indikator, q.tahun, q.triwulan, coalesce(sum(b.realisasi), 0), coalesce(sum(b.pagu), 0)
    from quarters as q
    join catalogue as i on i.metode = 'serapan'
    left join sub_kegiatan_budget as b
        on b.tahun = q.tahun and b.triwulan = q.triwulan and left(b.kode_sub_kegiatan, 7) = i.kode_program
    group by i.kode_indikator, q.tahun, q.triwulan
)
select
    kode_indikator, tahun, triwulan, numerator, denominator,
    case when denominator <> 0 then
        percent_units(numerator, denominator, 10_000_000_000)::decimal(38, 0) * 0.0000000001
    end as nilai
from computed
union all
select i.kode_indikator, q.tahun, q.triwulan, null, null, m.nilai  -- a manual indicator: the figure delivered
from quarters as q
join catalogue as i on i.metode = 'manual'
left join manual as m on m.kode_indikator = i.kode_indikator and m.tahun = q.tahun and m.triwulan = q.triwulan;

-- the budget of every quarter, per sub-activity rolled up to kegiatan, program, key indicator and the whole urusan
create temp table budget_figures as
with rolled_up as (
    select 'sub_kegiatan' as level, kode_sub_kegiatan as kode, tahun, triwulan, pagu_murni, pagu, realisasi
    from sub_kegiatan_budget
    union all
    select 'kegiatan', left(kode_sub_kegiatan, 12), tahun, triwulan, sum(pagu_murni), sum(pagu), sum(realisasi)
    from sub_kegiatan_budget
    group by all
    union all
    select 'program', left(kode_sub_kegiatan, 7), tahun, triwulan, sum(pagu_murni), sum(pagu), sum(realisasi)
    from sub_kegiatan_budget
    group by all
    union all
    select 'iku', m.kode_indikator, b.tahun, b.triwulan, sum(b.pagu_murni), sum(b.pagu), sum(b.realisasi)
    from sub_kegiatan_budget as b
    join program_indicator as m on m.kode_program = left(b.kode_sub_kegiatan, 7)
    group by all
    union all
    select 'total', '2.17', tahun, triwulan, sum(pagu_murni), sum(pagu), sum(realisasi)
    from sub_kegiatan_budget
    group by all
)
select
    level, kode, tahun, triwulan, pagu_murni, pagu, realisasi,
    case when pagu <> 0 then percent_units(realisasi, pagu, 100)::decimal(38, 0) * 0.01 end as serapan_pct
from rolled_up;
