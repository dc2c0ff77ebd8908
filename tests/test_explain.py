"""Issue 13, items 1 and 2, on copies of the demo warehouse: `kumkm explain` takes every 2025Q4 figure
down to the records it counts and the file rows of their winning versions, which add up to the
figure; the basis marts serve the same to BI tools; no personal data in any of it."""
from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import INDIKATOR_HEADER, query, write_csv
from kumkm.cli import main

Q4 = "tahun = 2025 and triwulan = 4"
BUSINESS_INDICATORS = ("IKU-02", "PRG-07", "PRG-08A", "PRG-08B", "RPD-03")
# Each record of the basis against the version of its record key that wins at K in the event store.
WINNING_VERSIONS = " union all ".join(f"""
    select '{kind}' as kind, record_key, source_file, row_number, extracted_on, batch_id
    from events.{table}
    where ingested_at <= $k
    qualify row_number() over (partition by record_key order by extracted_on desc, batch_id desc) = 1"""
    for kind, table in (("rat", "ods.rat"), ("kegiatan", "ods.kegiatan"), ("umkm", "sip3.umkm"),
                        ("anggaran", "ledger.anggaran"), ("realisasi", "ledger.realisasi"),
                        ("indikator", "manual.indikator")))


@pytest.fixture(scope="module")
def published(demo_home, tmp_path_factory) -> Path:
    """A copy of the demo warehouse with 2025Q4 published: the serving database holds the records
    behind its figures. Read-only for the tests."""
    root = tmp_path_factory.mktemp("explain") / "home"
    shutil.copytree(demo_home, root)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KUMKM_HOME", str(root))
        result = CliRunner().invoke(main, ["publish", "--quarter", "2025Q4"])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def kumkm_published(published, monkeypatch):
    """`kumkm` on the published home."""
    monkeypatch.setenv("KUMKM_HOME", str(published))
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


def explained(kumkm, *args: str) -> dict:
    result = kumkm("explain", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout, parse_float=Decimal)


def added_up(part: dict) -> Decimal:
    total = sum((r["jumlah"] for r in part["records"]), Decimal(0))
    assert total == part["total"]
    return total


def test_every_2025q4_figure_adds_up_from_the_file_rows_of_its_records(published, kumkm_published):
    kumkm = kumkm_published
    served = published / "serving.duckdb"
    figures = query(served, f"select kode_indikator, numerator, denominator, nilai, known_at "
                            f"from marts.fct_indicator_quarterly where {Q4} order by 1")
    assert len(figures) == 16
    for kode, numerator, denominator, nilai, k in figures:
        result = kumkm("explain", kode, "--quarter", "2025Q4", "--format", "json")
        assert result.stderr == ""  # read from the serving database, which holds the published quarter's records
        got = json.loads(result.stdout, parse_float=Decimal)
        assert (got["kode"], got["quarter"], got["known_at"]) == (kode, "2025Q4", str(k))
        if numerator is None:  # a manual indicator: the event that delivered its figure
            [record] = got["nilai"]["records"]
            assert (record["jumlah"], record["kind"]) == (nilai, "indikator")
            assert record["record_key"] == f"{kode}|2025|4" and record["source_file"].startswith("indikator_")
        else:
            assert (added_up(got["numerator"]), added_up(got["denominator"])) == (numerator, denominator), kode
            assert got["denominator"]["records"], kode
    budget = query(served, f"select kode, pagu_murni, pagu, realisasi from marts.fct_budget_quarterly where {Q4} "
                           "and level in ('program', 'total') or kode in ('2.17.01.2.02', '2.17.04.2.01.0001') "
                           f"and {Q4} order by 1")
    assert len(budget) == 11  # 8 programs, the total, a kegiatan, a sub-activity
    for kode, *amounts in budget:
        got = explained(kumkm, kode, "--quarter", "2025Q4")
        assert [added_up(got[part]) for part in ("pagu_murni", "pagu", "realisasi")] == amounts, kode
    payments = explained(kumkm, "2.17.01", "--quarter", "2025Q4")["realisasi"]["records"]
    assert payments == sorted(payments, key=lambda r: (r["extracted_on"], r["source_file"], r["row_number"]))
    assert {r["kind"] for r in payments} == {"realisasi"} and all(r["row_number"] for r in payments)

    # every record of the served basis is its record's winning version at K, file row and batch included
    [(k,)] = query(served, f"select distinct known_at from marts.fct_indicator_basis where {Q4}")
    con = duckdb.connect(str(served), read_only=True)
    try:
        con.execute(f"attach '{published / 'events.duckdb'}' as events (read_only)")
        for mart in ("fct_indicator_basis", "fct_budget_basis"):
            assert con.execute(f"""
                select count(*), count(winning.record_key)
                from marts.{mart} as basis
                left join ({WINNING_VERSIONS}) as winning
                    on winning.kind = basis.kind
                    and winning.record_key = basis.record_key
                    and winning.source_file = basis.source_file
                    and winning.row_number is not distinct from basis.row_number
                    and winning.extracted_on = basis.extracted_on
                    and winning.batch_id = basis.batch_id
                where basis.{Q4}""", {"k": k}).fetchone() == (
                con.execute(f"select count(*) from marts.{mart} where {Q4}").fetchone()[0],) * 2
    finally:
        con.close()


def test_the_reasons_say_in_words_why_a_record_counts(kumkm_published):
    kumkm = kumkm_published
    iku01 = explained(kumkm, "IKU-01", "--quarter", "2025Q4")
    for record in iku01["numerator"]["records"]:
        assert record["alasan"] == (
            f"the latest RAT held by 2025-12-31, on {record['tanggal']}, in 1 Jan 2023 .. 2025-12-31, status not "
            "Bubar: active; held in 2025 with volume_usaha and aset above the previous RAT report's: quality improved")
        assert record["tanggal"].startswith("2025-") and record["record_key"].endswith(("|2024", "|2023"))
    prg03 = explained(kumkm, "PRG-03", "--quarter", "2025Q4")["numerator"]["records"]
    assert {r["alasan"] for r in prg03} == {f"PEMERIKSAAN kegiatan on {r['tanggal']}, in 1 Jan 2025 .. 2025-12-31 "
                                            "(any hasil), of an active cooperative" for r in prg03}
    # a growth rate: this year's volumes add, last year's subtract, and make the denominator
    prg06 = explained(kumkm, "PRG-06", "--quarter", "2025Q4")
    last_year = [r for r in prg06["numerator"]["records"] if r["jumlah"] < 0]
    assert last_year and all(r["alasan"].endswith("subtracted from the numerator") for r in last_year)
    assert sorted((r["record_key"], -r["jumlah"]) for r in last_year) == sorted(
        (r["record_key"], r["jumlah"]) for r in prg06["denominator"]["records"])

    table = kumkm("explain", "2.17.03", "--quarter", "2025Q4").stdout.splitlines()
    assert table[0].startswith("2.17.03 Pengawasan dan Pemeriksaan Koperasi, s/d triwulan 4 2025, as known at ")
    assert table[1] == ("level program, pagu_murni 55000000.00, pagu 52900000.00, realisasi 46419000.00, "
                        "serapan_pct 87.75")
    assert "pagu: 52,900,000 from 1 record" in table
    [line] = [line for line in table if line.startswith("2025|PERUBAHAN|2.17.03")]
    assert "52900000  2025-09-26  the line of the version in force on 2025-12-31, effective 2025-09-26: pagu in force" \
        in line and "anggaran_20250926_perubahan.xlsx" in line


def personal_data(events_db: Path) -> tuple[set[str], set[tuple[str, ...]]]:
    """The sample's owners' NIK and phone numbers, and their names and addresses as word sequences."""
    rows = query(events_db, "select nik_pemilik, no_hp, nama_pemilik, alamat from sip3.umkm")
    numbers = {value for row in rows for value in row[:2] if value}
    words = {tuple(re.findall(r"\w+", value.lower())) for row in rows for value in row[2:] if value}
    return numbers, words


def leaked(text: str, numbers: set[str], words: set[tuple[str, ...]]) -> set:
    tokens = re.findall(r"\w+", text.lower())
    lengths: dict[str, set[int]] = {}
    for value in words:
        lengths.setdefault(value[0], set()).add(len(value))
    grams = {tuple(tokens[i:i + n]) for i, token in enumerate(tokens) for n in lengths.get(token, ())}
    return (set(re.findall(r"\d+", text)) & numbers) | (grams & words)


def test_no_personal_data_in_any_format_nor_in_the_basis_marts(published, kumkm_published):
    kumkm = kumkm_published
    numbers, words = personal_data(published / "events.duckdb")
    [(nik, hp, nama, alamat)] = query(published / "events.duckdb", "select nik_pemilik, no_hp, nama_pemilik, alamat "
                                                                   "from sip3.umkm where no_hp is not null limit 1")
    assert {nik, hp, tuple(re.findall(r"\w+", nama.lower())), tuple(re.findall(r"\w+", alamat.lower()))} <= \
        leaked(f"{nik} {hp} {nama}; {alamat}", numbers, words)  # the check finds what it looks for
    for kode in BUSINESS_INDICATORS:
        for fmt in ("table", "csv", "json"):
            result = kumkm("explain", kode, "--quarter", "2025Q4", "--format", fmt)
            assert result.exit_code == 0 and "SIP3-" in result.output
            assert not leaked(result.output, numbers, words), (kode, fmt)
    for mart in ("fct_indicator_basis", "fct_budget_basis"):
        served = query(published / "serving.duckdb", f"select * from marts.{mart}")
        assert served and not leaked("\n".join(" ".join(map(str, row)) for row in served), numbers, words)


def test_a_quarter_is_explained_as_built_on_demand_as_published_and_as_known_now(warehouse, kumkm, tmp_path):
    served = warehouse / "serving.duckdb"
    basis = "select tahun * 10 + triwulan, known_at, count(*) from marts.fct_indicator_basis group by all"
    prg05 = ("select numerator, denominator, known_at from marts.fct_indicator_quarterly "
             "where kode_indikator = 'PRG-05' and tahun = 2025 and triwulan = 2")
    assert query(served, basis) == []  # nothing published: a refresh explains no quarter

    # a quarter the serving database holds no records of is built as known at its served K
    [(numerator, denominator, k)] = query(served, prg05)
    result = kumkm("explain", "PRG-05", "--quarter", "2025Q2", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"building the records of 2025Q2 as known at {k:%Y-%m-%d %H:%M:%S} UTC\n"
    got = json.loads(result.stdout, parse_float=Decimal)
    assert (added_up(got["numerator"]), added_up(got["denominator"])) == (numerator, denominator)
    assert query(served, basis) == []  # in a scratch database: the serving one is left alone

    assert kumkm("publish", "--quarter", "2025Q2").exit_code == 0
    [(quarter, k_basis, _)] = query(served, basis)  # publishing serves the records of its figures
    assert (quarter, k_basis) == (20252, k)
    [delivered] = query(served, "select nilai from marts.fct_indicator_published where kode_indikator = 'PRG-01C'")

    correction = write_csv(tmp_path / "koreksi" / "manual" / "indikator_20260301_koreksi.csv", INDIKATOR_HEADER,
                           [["PRG-01C", 2025, 2, "97,15", "BPKAD Kota Bekasi"]])
    assert kumkm("ingest", correction.parent.parent).exit_code == 0
    assert kumkm("refresh", "--quarter", "2025Q2").exit_code == 0
    [(_, _, k_now)] = query(served, prg05)
    [(quarter, k_basis, _)] = query(served, basis)  # rebuilt with the figures, the older records gone
    assert (quarter, k_basis) == (20252, k_now) and k_now > k

    now = kumkm("explain", "PRG-01C", "--quarter", "2025Q2", "--format", "json")
    assert now.stderr == ""
    [record] = json.loads(now.stdout, parse_float=Decimal)["nilai"]["records"]
    assert (record["jumlah"], record["source_file"], record["row_number"]) == (Decimal("97.15"), correction.name, 2)

    then = explained(kumkm, "PRG-01C", "--quarter", "2025Q2", "--as-known-at", k.isoformat(sep=" "))
    [record] = then["nilai"]["records"]
    assert (then["known_at"], record["jumlah"]) == (str(k), delivered[0])
    assert record["source_file"] != correction.name


def test_a_code_or_quarter_without_a_figure_is_a_one_line_error(kumkm_published):
    kumkm = kumkm_published
    result = kumkm("explain", "IKU-99", "--quarter", "2025Q4")
    assert (result.exit_code, result.output) == (1, "Error: 'IKU-99' is neither an indicator nor a budget "
                                                    "line (sub-activity, kegiatan, program or 2.17) with a figure "
                                                    "in 2025Q4\n")
    result = kumkm("explain", "IKU-01", "--quarter", "2019Q1")
    assert result.exit_code == 1 and result.output.startswith("Error: the serving database holds no figures of 2019Q1")
    assert kumkm("explain", "IKU-01").exit_code == 2  # --quarter is required
