"""The source export contract (docs/contracts/sources.md) as data: kinds, columns, keys and rules."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from pathlib import Path

KECAMATAN = (
    "Bantargebang", "Bekasi Barat", "Bekasi Selatan", "Bekasi Timur", "Bekasi Utara", "Jatiasih",
    "Jatisampurna", "Medan Satria", "Mustikajaya", "Pondok Gede", "Pondok Melati", "Rawalumbu",
)

YEAR_MIN, YEAR_MAX = 1900, 9999  # a year outside is a typo (20242024), rejected before any date math
CATALOGUE_SEED = files("kumkm.dbt_project") / "seeds" / "indikator.csv"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, nik16, nib13, integer, amount, decimal, date, kecamatan, choice, kode_sub_kegiatan
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A row rule over the parsed values: `broken` is SQL that is true when the row breaks it."""
    column: str
    broken: str
    reason: str

    @property
    def looks_up(self) -> bool:
        """Whether `broken` reads another table (a subquery), which a query keeping row order cannot."""
        return re.search(r"\bselect\b", self.broken, re.IGNORECASE) is not None


@dataclass(frozen=True)
class Kind:
    source: str
    name: str
    key: tuple[str, ...]
    valid_date: str  # SQL over the parsed columns: the record's own date
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = field(default=())

    @property
    def table(self) -> str:
        return f"{self.source}.{self.name}"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _manual_codes() -> tuple[str, ...]:
    with CATALOGUE_SEED.open(newline="", encoding="utf-8") as f:
        return tuple(r["kode_indikator"] for r in csv.DictReader(f) if r["metode"] == "manual")


def _kinds() -> dict[str, Kind]:
    text, req = "text", True
    kinds = [
        Kind("ods", "rat", ("nik", "tahun_buku"), "coalesce(tanggal_rat, make_date(tahun_buku, 12, 31))", (
            Column("nik", "nik16", req),
            Column("nama_koperasi", text, req),
            Column("jenis_koperasi", "choice", req,
                   choices=("Konsumen", "Produsen", "Simpan Pinjam", "Jasa", "Pemasaran")),
            Column("kecamatan", "kecamatan", req),
            Column("kelurahan", text),
            Column("status_koperasi", "choice", req, choices=("Aktif", "Tidak Aktif", "Bubar")),
            Column("tahun_buku", "integer", req, minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("tanggal_rat", "date"),
            Column("jumlah_anggota", "integer", req, minimum=0),
            Column("jumlah_pengurus", "integer", req, minimum=0),
            Column("aset", "amount", req, minimum=0),
            Column("volume_usaha", "amount", req, minimum=0),
            Column("shu", "amount"),
            Column("modal_sendiri", "amount", minimum=0),
            Column("modal_luar", "amount", minimum=0),
        ), (
            Rule("tanggal_rat",  # try(): the row is evaluated even when its tahun_buku was rejected
                 "try(tanggal_rat <= make_date(tahun_buku, 12, 31)"
                 " or tanggal_rat > make_date(tahun_buku + 2, 6, 30))",
                 "a RAT for book year Y must be held after 31 Dec Y and by 30 Jun Y+2"),
        )),
        Kind("ods", "kegiatan", ("id_kegiatan",), "tanggal", (
            Column("id_kegiatan", text, req),
            Column("nik", "nik16", req),
            Column("tanggal", "date", req),
            Column("jenis", "choice", req,
                   choices=("NIB_SIMPAN_PINJAM", "PEMERIKSAAN", "PENILAIAN_KESEHATAN", "DIKLAT")),
            Column("hasil", "choice", choices=("PATUH", "TIDAK_PATUH", "SEHAT", "CUKUP_SEHAT",
                                               "DALAM_PENGAWASAN", "DALAM_PENGAWASAN_KHUSUS")),
            Column("jumlah_peserta", "integer", minimum=1),
            Column("kode_sub_kegiatan", "kode_sub_kegiatan"),
        ), (
            Rule("hasil", "jenis in ('PEMERIKSAAN', 'PENILAIAN_KESEHATAN') and hasil is null",
                 "required for jenis PEMERIKSAAN and PENILAIAN_KESEHATAN"),
            Rule("hasil", "jenis = 'PEMERIKSAAN' and hasil not in ('PATUH', 'TIDAK_PATUH')",
                 "PEMERIKSAAN takes PATUH or TIDAK_PATUH"),
            Rule("hasil", "jenis = 'PENILAIAN_KESEHATAN' and hasil in ('PATUH', 'TIDAK_PATUH')",
                 "PENILAIAN_KESEHATAN takes SEHAT, CUKUP_SEHAT, DALAM_PENGAWASAN or DALAM_PENGAWASAN_KHUSUS"),
            Rule("jumlah_peserta", "jenis = 'DIKLAT' and jumlah_peserta is null", "required for jenis DIKLAT"),
        )),
        Kind("sip3", "umkm", ("id_umkm", "tanggal_pendataan"), "tanggal_pendataan", (
            Column("id_umkm", text, req),
            Column("nama_usaha", text, req),
            Column("nama_pemilik", text, req),
            Column("nik_pemilik", "nik16", req),
            Column("no_hp", text),
            Column("alamat", text),
            Column("kelurahan", text),
            Column("kecamatan", "kecamatan", req),
            Column("sektor_usaha", text, req),
            Column("skb", text),
            Column("tanggal_skb", "date"),
            Column("nib", "nib13"),
            Column("tanggal_nib", "date"),
            Column("modal_usaha", "amount", minimum=0),
            Column("omzet_tahunan", "amount", minimum=0),
            Column("tenaga_kerja", "integer", minimum=0),
            Column("informal_pkl", "choice", req, choices=("Ya", "Tidak")),
            Column("tdu_pkl", text),
            Column("status_usaha", "choice", req, choices=("Aktif", "Tidak Aktif")),
            Column("tanggal_pendataan", "date", req),
        ), (
            Rule("tanggal_skb", "skb is not null and tanggal_skb is null", "required with skb"),
            Rule("tanggal_nib", "nib is not null and tanggal_nib is null", "required with nib"),
        )),
        Kind("sip3", "pembinaan", ("id_pembinaan",), "tanggal", (
            Column("id_pembinaan", text, req),
            Column("id_umkm", text, req),
            Column("tanggal", "date", req),
            Column("jenis", "choice", req, choices=("PELATIHAN", "KEMITRAAN", "PENDAMPINGAN",
                                                    "FASILITASI_LEGALITAS", "BANTUAN_SARANA", "PAMERAN")),
            Column("kode_sub_kegiatan", "kode_sub_kegiatan"),
        )),
        Kind("ledger", "anggaran", ("tahun_anggaran", "tahap", "kode_sub_kegiatan"), "tanggal_penetapan", (
            Column("tahun_anggaran", "integer", req, minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("tahap", "choice", req, choices=("MURNI", "PERGESERAN", "PERUBAHAN")),
            Column("tanggal_penetapan", "date", req),
            Column("kode_sub_kegiatan", "kode_sub_kegiatan", req),
            Column("nama_program", text, req),
            Column("nama_kegiatan", text, req),
            Column("nama_sub_kegiatan", text, req),
            Column("pagu", "amount", req, minimum=0),
        )),
        Kind("ledger", "realisasi", ("no_sp2d",), "tanggal_sp2d", (
            Column("tahun_anggaran", "integer", req, minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("no_sp2d", text, req),
            Column("tanggal_sp2d", "date", req),
            Column("kode_sub_kegiatan", "kode_sub_kegiatan", req),
            Column("kode_rekening", text, req),
            Column("uraian", text),
            Column("nilai", "amount", req),
        ), (
            Rule("tanggal_sp2d", "year(tanggal_sp2d) <> tahun_anggaran", "must fall in tahun_anggaran"),
            Rule("kode_sub_kegiatan",
                 "not exists (select 1 from ledger.anggaran a where a.tahun_anggaran = t.tahun_anggaran"
                 " and a.kode_sub_kegiatan = t.kode_sub_kegiatan"
                 " and a.batch_id not in (select batch_id from ingest.retractions))",
                 "not in any budget version of that tahun_anggaran ingested so far"),
        )),
        Kind("manual", "indikator", ("kode_indikator", "tahun", "triwulan"),
             "last_day(make_date(tahun, triwulan * 3, 1))", (
            Column("kode_indikator", "choice", req, choices=_manual_codes()),
            Column("tahun", "integer", req, minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("triwulan", "integer", req, minimum=1),
            Column("nilai", "decimal", req),
            Column("sumber", text, req),
        ), (
            Rule("triwulan", "triwulan > 4", "must be 1 to 4"),
        )),
        Kind("manual", "publikasi", ("dokumen", "tabel", "kode", "tahun", "triwulan"),
             "last_day(make_date(tahun, triwulan * 3, 1))", (
            Column("dokumen", text, req),
            Column("tanggal_terbit", "date", req),
            Column("tabel", text, req),
            Column("kode", text, req),
            Column("tahun", "integer", req, minimum=YEAR_MIN, maximum=YEAR_MAX),
            Column("triwulan", "integer", req, minimum=1),
            Column("nilai", "decimal"),
            Column("capaian", "decimal"),
            Column("pagu", "amount", minimum=0),
            Column("realisasi", "amount"),
            Column("serapan", "decimal"),
        ), (
            Rule("triwulan", "triwulan > 4", "must be 1 to 4"),
            Rule("nilai", "coalesce(nilai, capaian, pagu, realisasi, serapan) is null",
                 "no printed figure: give nilai, capaian, pagu, realisasi or serapan"),
        )),
    ]
    return {k.name: k for k in kinds}


KINDS = _kinds()
SOURCES = tuple(sorted({k.source for k in KINDS.values()}))

_FILE_NAME = re.compile(r"^(?P<kind>[a-z]+)_(?P<ymd>\d{8})(?:_[^.]*)?\.(?P<ext>csv|xlsx|ods)$", re.IGNORECASE)


class RefusedFile(Exception):
    """A whole file the contract refuses; the message names the reason."""


@dataclass(frozen=True)
class ExportFile:
    path: Path
    kind: Kind
    extracted_on: date
    format: str


def parse_file_name(path: Path, source: str | None = None) -> ExportFile:
    """`<kind>_<YYYYMMDD>[_<free text>].<ext>`, lying in `<source>/` unless the source is given."""
    m = _FILE_NAME.match(path.name)
    if not m:
        raise RefusedFile("name does not follow <kind>_<YYYYMMDD>[_<text>].<csv|xlsx|ods>")
    kind = KINDS.get(m["kind"].lower())
    if kind is None:
        raise RefusedFile(f"unknown kind {m['kind']!r}; expected one of {', '.join(KINDS)}")
    ymd = m["ymd"]
    try:
        extracted_on = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    except ValueError:
        raise RefusedFile(f"extraction date {ymd} in the name is not a date") from None
    source = source or path.absolute().parent.name  # `anggaran_....csv` given inside landing/ledger too
    if source != kind.source:
        raise RefusedFile(f"kind {kind.name!r} belongs to source {kind.source!r}, "
                          f"but the file came as source {source!r} (its folder or --source)")
    return ExportFile(path, kind, extracted_on, m["ext"].lower())


def normalize_header(name: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").replace("\ufeff", "").strip().lower())
