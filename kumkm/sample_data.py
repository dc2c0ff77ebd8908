"""Bundled sample source exports that reproduce the LKIP 2025 of Diskopukm Kota Bekasi.

`write_sample_exports(landing)` writes quarterly extracts of the four sources for 2024 and 2025,
with the 2023 backlog they build on, in the formats of the source contracts. Computed with the
indicator rules at 31 December 2025 they give exactly the figures the department published in its
LKIP 2025. A few deliberately bad rows (`EXPECTED_REJECTS`), two corrections and a few identical
re-deliveries exercise quarantine and versioning; they leave the figures untouched.

Every person, business and cooperative is synthetic. The output is the same bytes on every call.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import io
import random
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from odf.element import Element as OdfElement
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

# --- Budget facts (LKIP 2025 Tabel 2.4, 3.7, 3.13, 3.15, 3.16) ----------------------------------

PROGRAMS = {
    "2.17.01": "Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota",
    "2.17.02": "Pelayanan Izin Usaha Simpan Pinjam",
    "2.17.03": "Pengawasan dan Pemeriksaan Koperasi",
    "2.17.04": "Penilaian Kesehatan KSP/USP Koperasi",
    "2.17.05": "Pendidikan dan Latihan Perkoperasian",
    "2.17.06": "Pemberdayaan dan Perlindungan Koperasi",
    "2.17.07": "Pemberdayaan Usaha Menengah, Usaha Kecil, dan Usaha Mikro (UMKM)",
    "2.17.08": "Pengembangan UMKM",
}

KEGIATAN = {
    "2.17.01.2.01": "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
    "2.17.01.2.02": "Administrasi Keuangan Perangkat Daerah",
    "2.17.01.2.05": "Administrasi Kepegawaian Perangkat Daerah",
    "2.17.01.2.06": "Administrasi Umum Perangkat Daerah",
    "2.17.01.2.08": "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah",
    "2.17.01.2.09": "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah",
    "2.17.02.2.01": "Penerbitan Izin Usaha Simpan Pinjam untuk Koperasi dengan Wilayah Keanggotaan "
    "dalam Daerah Kabupaten/Kota",
    "2.17.03.2.01": "Pemeriksaan dan Pengawasan Koperasi, Koperasi Simpan Pinjam/Unit Simpan Pinjam "
    "Koperasi yang Wilayah Keanggotaannya dalam Daerah Kabupaten/Kota",
    "2.17.04.2.01": "Penilaian Kesehatan Koperasi Simpan Pinjam/Unit Simpan Pinjam Koperasi yang "
    "Wilayah Keanggotaannya dalam 1 (satu) Daerah Kabupaten/Kota",
    "2.17.05.2.01": "Pendidikan dan Latihan Perkoperasian bagi Koperasi yang Wilayah Keanggotaan dalam "
    "Daerah Kabupaten/Kota",
    "2.17.06.2.01": "Pemberdayaan dan Perlindungan Koperasi yang Keanggotaannya dalam Daerah "
    "Kabupaten/Kota",
    "2.17.07.2.01": "Pemberdayaan Usaha Mikro yang Dilakukan melalui Pendataan, Kemitraan, Kemudahan "
    "Perizinan, Penguatan Kelembagaan dan Koordinasi dengan Para Pemangku Kepentingan",
    "2.17.08.2.01": "Pengembangan Usaha Mikro dengan Orientasi Peningkatan Skala Usaha Menjadi Usaha "
    "Kecil",
}


@dataclass(frozen=True)
class Pagu:
    """One year of a sub-activity: pagu of the MURNI version, pagu after P-APBD, realisation."""

    murni: int
    perubahan: int
    realisasi: int


@dataclass(frozen=True)
class SubKegiatan:
    kode: str
    nama: str
    tahun: dict[int, Pagu]

    @property
    def program(self) -> str:
        return self.kode[:7]

    @property
    def kegiatan(self) -> str:
        return self.kode[:12]


def _sub(kode: str, nama: str, pagu_2024: tuple, pagu_2025: tuple) -> SubKegiatan:
    return SubKegiatan(kode, nama, {2024: Pagu(*pagu_2024), 2025: Pagu(*pagu_2025)})


# Amounts per year: (pagu murni, pagu after P-APBD, realisation). 2025 after P-APBD and
# realisation are the LKIP's; murni adds up to Tabel 2.4 per program; 2024 adds up to Tabel 3.16.
SUB_KEGIATAN = (
    _sub("2.17.01.2.01.0007", "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD",
         (10_000_000, 9_500_000, 8_750_000), (10_000_000, 8_998_000, 7_549_550)),
    _sub("2.17.01.2.02.0001", "Penyediaan Gaji dan Tunjangan ASN",
         (7_650_000_000, 7_395_000_000, 6_042_795_654), (7_580_000_000, 7_106_548_000, 5_709_510_353)),
    _sub("2.17.01.2.02.0007", "Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD",
         (6_000_000, 6_000_000, 5_600_000), (6_000_000, 6_000_000, 4_395_000)),
    _sub("2.17.01.2.05.0002", "Pengadaan Pakaian Dinas Beserta Atribut Kelengkapannya",
         (45_000_000, 42_000_000, 39_900_000), (45_000_000, 45_000_000, 36_866_500)),
    _sub("2.17.01.2.05.0009", "Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi",
         (30_000_000, 28_000_000, 21_350_000), (35_000_000, 30_250_000, 22_180_000)),
    _sub("2.17.01.2.06.0004", "Penyediaan Bahan Logistik Kantor",
         (250_000_000, 255_000_000, 231_418_500), (280_000_000, 264_220_000, 208_794_092)),
    _sub("2.17.01.2.06.0005", "Penyediaan Barang Cetakan dan Penggandaan",
         (25_000_000, 22_500_000, 19_865_000), (25_000_000, 23_381_000, 9_486_600)),
    _sub("2.17.01.2.06.0006", "Penyediaan Bahan Bacaan dan Peraturan Perundang-undangan",
         (12_000_000, 12_000_000, 11_250_000), (13_800_000, 13_800_000, 12_792_000)),
    _sub("2.17.01.2.06.0008", "Fasilitasi Kunjungan Tamu",
         (20_000_000, 18_000_000, 17_400_000), (20_000_000, 20_000_000, 19_856_000)),
    _sub("2.17.01.2.06.0009", "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD",
         (35_000_000, 30_000_000, 14_735_000), (40_000_000, 25_000_000, 5_195_370)),
    _sub("2.17.01.2.08.0004", "Penyediaan Jasa Pelayanan Umum Kantor",
         (560_000_000, 585_302_348, 571_208_640), (555_255_400, 518_166_274, 514_466_182)),
    _sub("2.17.01.2.09.0001", "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, dan Pajak Kendaraan "
         "Perorangan Dinas atau Kendaraan Dinas Jabatan",
         (180_000_000, 185_000_000, 176_345_210), (190_000_000, 197_000_000, 189_758_465)),
    _sub("2.17.01.2.09.0002", "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak dan Perizinan "
         "Kendaraan Dinas Operasional atau Lapangan",
         (140_000_000, 135_000_000, 121_903_450), (150_000_000, 140_000_000, 118_006_639)),
    _sub("2.17.01.2.09.0006", "Pemeliharaan Peralatan dan Mesin Lainnya",
         (50_000_000, 48_000_000, 44_560_000), (57_000_000, 50_000_000, 41_241_000)),
    _sub("2.17.02.2.01.0001", "Fasilitasi Pemenuhan Izin Usaha Simpan Pinjam dan Pembukaan Kantor Cabang, "
         "Cabang Pembantu dan Kantor Kas Koperasi Simpan Pinjam untuk Koperasi dengan Wilayah "
         "Keanggotaan dalam Daerah Kabupaten/Kota",
         (80_000_000, 76_355_000, 71_250_000), (100_000_000, 60_121_800, 41_125_500)),
    _sub("2.17.03.2.01.0001", "Pelaksanaan Proses Pemeriksaan dan Pengawasan Koperasi yang Wilayah "
         "Keanggotaannya Daerah Kabupaten/Kota",
         (40_000_000, 40_000_000, 36_009_000), (55_000_000, 52_900_000, 46_419_000)),
    _sub("2.17.04.2.01.0001", "Pelaksanaan Penilaian Kesehatan KSP/USP Koperasi Kewenangan Kabupaten/Kota",
         (200_000_000, 200_000_000, 182_135_800), (250_000_000, 70_262_000, 63_129_000)),
    _sub("2.17.05.2.01.0001", "Peningkatan Pemahaman dan Pengetahuan Perkoperasian serta Kapasitas dan "
         "Kompetensi SDM Koperasi",
         (250_000_000, 275_000_000, 238_932_000), (275_000_000, 371_820_000, 333_603_030)),
    _sub("2.17.06.2.01.0001", "Pemberdayaan Peningkatan Produktivitas, Nilai Tambah, Akses Pasar, Akses "
         "Pembiayaan, Penguatan Kelembagaan, Penataan Manajemen, Standarisasi, dan Restrukturisasi "
         "Usaha Koperasi Kabupaten/Kota",
         (300_000_000, 343_380_000, 295_840_000), (465_385_100, 650_805_000, 492_880_500)),
    _sub("2.17.07.2.01.0001", "Pendataan Potensi dan Pengembangan Usaha Mikro",
         (480_000_000, 452_454_300, 410_226_500), (160_471_900, 141_650_900, 72_111_000)),
    _sub("2.17.07.2.01.0002", "Pemberdayaan melalui Kemitraan Usaha Mikro",
         (300_000_000, 310_000_000, 287_340_000), (120_000_000, 102_533_000, 88_383_750)),
    # Listed in the LKIP's section 1.6.3 but absent from its budget tables: cut to 0 by the P-APBD.
    _sub("2.17.07.2.01.0003", "Koordinasi dan Sinkronisasi dengan Para Pemangku Kepentingan dalam "
         "Pemberdayaan Usaha Mikro",
         (100_000_000, 96_000_000, 88_415_000), (75_000_000, 0, 0)),
    _sub("2.17.07.2.01.0004", "Peningkatan Pemahaman dan Pengetahuan Usaha Mikro serta Kapasitas dan "
         "Kompetensi SDM Usaha Mikro dan Kewirausahaan",
         (950_000_000, 1_026_000_000, 921_420_240), (473_000_000, 457_920_000, 400_996_500)),
    _sub("2.17.08.2.01.0001", "Fasilitasi Usaha Mikro Menjadi Usaha Kecil dalam Pengembangan Produksi "
         "dan Pengolahan, Pemasaran, SDM, serta Desain dan Teknologi",
         (1_250_000_000, 1_194_767_182, 1_144_310_500), (2_498_521_100, 2_189_180_100, 1_979_793_445)),
)

# Budget versions: (tahun_anggaran, tahap, tanggal_penetapan).
BUDGET_VERSIONS = (
    (2024, "MURNI", date(2024, 1, 2)),
    (2024, "PERUBAHAN", date(2024, 10, 1)),
    (2025, "MURNI", date(2025, 1, 2)),
    (2025, "PERUBAHAN", date(2025, 9, 26)),
)

# --- Other published figures the sample reproduces (LKIP 2025) --------------------------------

VOLUME_USAHA_KOPERASI = {2024: 324_836_375_142, 2025: 357_122_775_671}  # RATs held in the year
JUMLAH_PENGURUS = 2946  # pengurus of the 982 active cooperatives
PESERTA_DIKLAT_2025 = 412
NIB_SIMPAN_PINJAM = 60
DIPERIKSA_2025 = 102
DINILAI_KESEHATAN_2025 = 50
IMPROVED_2025 = 197
PKL_DIBERDAYAKAN_2025 = 462
PELATIHAN_KEWIRAUSAHAAN_2025 = 443
# Growth of business volume, as published for 2025 and for 2024 (LKIP Tabel 3.3 and 3.9).
KOPERASI_VOLUME_GROWTH_2024 = Decimal("0.0105")
UMKM_VOLUME_GROWTH = {2024: Decimal("0.0101"), 2025: Decimal("0.0123")}

MANUAL_INDICATORS = (
    # extraction date, kode_indikator, tahun, triwulan, nilai, sumber
    (date(2024, 7, 15), "PRG-01C", 2024, 2, Decimal("95.40"), "BPKAD Kota Bekasi"),
    (date(2024, 12, 31), "RPD-01", 2024, 4, Decimal("78.19"), "Inspektorat Kota Bekasi"),
    (date(2024, 12, 31), "PRG-01B", 2024, 4, Decimal("84.12"), "BKPSDM Kota Bekasi"),
    (date(2024, 12, 31), "PRG-01C", 2024, 4, Decimal("96.55"), "BPKAD Kota Bekasi"),
    (date(2025, 7, 15), "PRG-01C", 2025, 2, Decimal("96.20"), "BPKAD Kota Bekasi"),
    (date(2025, 12, 31), "RPD-01", 2025, 4, Decimal("78.24"), "Inspektorat Kota Bekasi"),
    (date(2025, 12, 31), "PRG-01B", 2025, 4, Decimal("85.85"), "BKPSDM Kota Bekasi"),
    (date(2025, 12, 31), "PRG-01C", 2025, 4, Decimal("97.70"), "BPKAD Kota Bekasi"),
)

# The LKIP 2025 as printed (signed 31 January 2026, its issue date), every figure of its tables that
# the warehouse computes, as text with the decimals the report shows: tabel, kode, nilai, capaian,
# pagu, realisasi, serapan. Its known errors, which the audit must find and nothing else: Tabel 3.15
# repeats the 2024 realisation of programs 2.17.01-05, Tabel 3.7 totals IKU-01's budget without
# program 2.17.04 (914.028.030, 75.80), Tabel 3.6 prints PRG-05's capaian as 144.7 (13.98 / 8.5 =
# 164.47). Its truncations (PRG-05 13.98 for 13.985, PRG-06 662.66 for 662.666) are not errors.
LKIP_2025_ISSUED = date(2026, 1, 31)
LKIP_2025_AS_PRINTED = (
    ("Tabel 3.1", "IKU-01", "20.06", "100.3", None, None, None),
    ("Tabel 3.1", "IKU-02", "0.1", "100", None, None, None),
    ("Tabel 3.6", "PRG-02", "6.1", "244", None, None, None),
    ("Tabel 3.6", "PRG-03", "10.39", "103.90", None, None, None),
    ("Tabel 3.6", "PRG-04", "5.09", "127.25", None, None, None),
    ("Tabel 3.6", "PRG-05", "13.98", "144.7", None, None, None),
    ("Tabel 3.6", "PRG-06", "9.94", "662.66", None, None, None),
    ("Tabel 3.7", "IKU-01", None, None, "1.205.908.800", "914.028.030", "75.80"),
    ("Tabel 3.7", "2.17.02", None, None, "60.121.800", "41.125.500", "68.40"),
    ("Tabel 3.7", "2.17.03", None, None, "52.900.000", "46.419.000", "87.75"),
    ("Tabel 3.7", "2.17.05", None, None, "371.820.000", "333.603.030", "89.72"),
    ("Tabel 3.7", "2.17.06", None, None, "650.805.000", "492.880.500", "75.73"),
    ("Tabel 3.11", "PRG-08A", "44.31", "110.78", None, None, None),
    ("Tabel 3.11", "PRG-08B", "11.86", "169.43", None, None, None),
    ("Tabel 3.11", "PRG-07", "15.75", "157.5", None, None, None),
    ("Tabel 3.11", "PRG-01A", "81.67", "92.81", None, None, None),
    ("Tabel 3.11", "PRG-01B", "85.85", "103.43", None, None, None),
    ("Tabel 3.11", "PRG-01C", "97.70", "105.05", None, None, None),
    ("Tabel 3.13", "IKU-02", None, None, "11.339.647.274", "9.441.382.446", "83.26"),
    ("Tabel 3.13", "2.17.08", None, None, "2.189.180.100", "1.979.793.445", "90.44"),
    ("Tabel 3.13", "2.17.07", None, None, "702.103.900", "561.491.250", "79.97"),
    ("Tabel 3.13", "2.17.01", None, None, "8.448.363.274", "6.900.097.751", "81.67"),
    ("Tabel 3.15", "2.17.01", None, None, "8.448.363.274", "7.327.081.454", "81.67"),
    ("Tabel 3.15", "2.17.02", None, None, "60.121.800", "71.250.000", "68.40"),
    ("Tabel 3.15", "2.17.03", None, None, "52.900.000", "36.009.000", "87.75"),
    ("Tabel 3.15", "2.17.04", None, None, "70.262.000", "182.135.800", "89.85"),
    ("Tabel 3.15", "2.17.05", None, None, "371.820.000", "238.932.000", "89.72"),
    ("Tabel 3.15", "2.17.06", None, None, "650.805.000", "492.880.500", "75.73"),
    ("Tabel 3.15", "2.17.07", None, None, "702.103.900", "561.491.250", "79.97"),
    ("Tabel 3.15", "2.17.08", None, None, "2.189.180.100", "1.979.793.445", "90.44"),
    ("Tabel 3.15", "2.17", None, None, "12.545.556.074", "10.418.539.476", "83.05"),
    ("Gambar 3.1", "RPD-01", "78.24", None, None, None, None),
    ("Gambar 3.2", "RPD-02", "9.94", None, None, None, None),
    ("Gambar 3.3", "RPD-03", "1.23", None, None, None, None),
)
# What the audit of it finds: tabel, kode, figure, printed, computed.
LKIP_2025_ERRORS = (
    ("Tabel 3.6", "PRG-05", "capaian", "144.7", "164.59"),
    ("Tabel 3.7", "IKU-01", "realisasi", "914028030", "977157030"),
    ("Tabel 3.7", "IKU-01", "serapan", "75.8", "81.03"),
    ("Tabel 3.15", "2.17.01", "realisasi", "7327081454", "6900097751"),
    ("Tabel 3.15", "2.17.02", "realisasi", "71250000", "41125500"),
    ("Tabel 3.15", "2.17.03", "realisasi", "36009000", "46419000"),
    ("Tabel 3.15", "2.17.04", "realisasi", "182135800", "63129000"),
    ("Tabel 3.15", "2.17.05", "realisasi", "238932000", "333603030"),
)


# --- Deliberately bad rows -------------------------------------------------------------------

class Reject(NamedTuple):
    """A row the contract rejects: file name, spreadsheet row (header = 1), column, reason."""

    file: str
    row: int
    column: str
    reason: str


EXPECTED_REJECTS = (
    Reject("rat_20250630.csv", 5, "jumlah_pengurus", "required value missing"),
    Reject("rat_20250630.csv", 9, "tanggal_rat", "RAT held before its book year closed"),
    Reject("kegiatan_20250930.csv", 6, "hasil", "hasil missing for a PEMERIKSAAN"),
    Reject("umkm_20250331.csv", 8, "kecamatan", "kecamatan outside Kota Bekasi: Cikarang Barat"),
    Reject("umkm_20250930.csv", 12, "tanggal_skb", "skb without tanggal_skb"),
    Reject("pembinaan_20250630.csv", 3, "jenis", "required value missing"),
    Reject("realisasi_20241231.csv", 5, "tanggal_sp2d", "payment dated outside its tahun_anggaran"),
    Reject("realisasi_20250930.csv", 4, "nilai", "amount not parseable: 63.129.00"),
    Reject("realisasi_20251231.csv", 7, "nilai", "amount not parseable: 2.56.124.062"),
    Reject("realisasi_20251231.csv", 11, "kode_sub_kegiatan", "sub-activity not in the 2025 budget"),
)

# --- Kota Bekasi and its people ---------------------------------------------------------------

# kecamatan (canonical spelling): its code after 32.75, and its kelurahan
KECAMATAN = {
    "Bekasi Timur": ("01", ("Aren Jaya", "Bekasi Jaya", "Duren Jaya", "Margahayu")),
    "Bekasi Barat": ("02", ("Bintara", "Bintara Jaya", "Jakasampurna", "Kota Baru", "Kranji")),
    "Bekasi Utara": ("03", ("Harapan Baru", "Harapan Jaya", "Kaliabang Tengah", "Marga Mulya", "Perwira",
                            "Teluk Pucung")),
    "Bekasi Selatan": ("04", ("Jakamulya", "Jakasetia", "Kayuringin Jaya", "Margajaya", "Pekayon Jaya")),
    "Rawalumbu": ("05", ("Bojong Menteng", "Bojong Rawalumbu", "Pengasinan", "Sepanjang Jaya")),
    "Medan Satria": ("06", ("Harapan Mulya", "Kalibaru", "Medan Satria", "Pejuang")),
    "Bantargebang": ("07", ("Bantargebang", "Cikiwul", "Ciketing Udik", "Sumur Batu")),
    "Pondok Gede": ("08", ("Jatibening", "Jatibening Baru", "Jaticempaka", "Jatimakmur", "Jatiwaringin")),
    "Jatiasih": ("09", ("Jatiasih", "Jatikramat", "Jatiluhur", "Jatimekar", "Jatirasa", "Jatisari")),
    "Jatisampurna": ("10", ("Jatikarya", "Jatiranggon", "Jatirangga", "Jatisampurna", "Jatiraden")),
    "Mustikajaya": ("11", ("Cimuning", "Mustikajaya", "Mustikasari", "Padurenan")),
    "Pondok Melati": ("12", ("Jatimelati", "Jatimurni", "Jatirahayu", "Jatiwarna")),
}
# How operators also spell some of them (the contract matches them after removing spaces).
KECAMATAN_SPOKEN = {
    "Mustikajaya": "Mustika Jaya",
    "Rawalumbu": "Rawa Lumbu",
    "Bantargebang": "Bantar Gebang",
    "Jatiasih": "Jati Asih",
    "Jatisampurna": "Jati Sampurna",
    "Medan Satria": "Medansatria",
}

NAMA_DEPAN_PRIA = ("Agus", "Ahmad", "Andi", "Bambang", "Bayu", "Budi", "Dedi", "Dimas", "Eko", "Fajar",
                   "Hadi", "Hendra", "Irwan", "Iwan", "Joko", "Muhammad", "Rizky", "Rudi", "Slamet",
                   "Taufik", "Wahyu", "Yusuf", "Asep", "Ujang", "Dadang", "Heri", "Rahmat", "Arif")
NAMA_DEPAN_WANITA = ("Ani", "Ayu", "Dewi", "Euis", "Fitri", "Indah", "Intan", "Lina", "Maya", "Neneng",
                     "Nining", "Nur", "Putri", "Ratna", "Rina", "Siti", "Sri", "Tuti", "Wati", "Yuni",
                     "Kartini", "Rohayati", "Suryani", "Lilis", "Nurul", "Eka", "Sari", "Yanti")
NAMA_BELAKANG = ("Setiawan", "Santoso", "Hidayat", "Saputra", "Pratama", "Wijaya", "Kurniawan", "Nugroho",
                 "Lestari", "Rahayu", "Susanti", "Wulandari", "Handayani", "Hasanah", "Permana", "Gunawan",
                 "Suryadi", "Maulana", "Ramadhan", "Hakim", "Purnomo", "Siregar", "Nasution", "Simanjuntak",
                 "Sembiring", "Lubis", "Tanjung", "Aminah", "Fauziah", "Kusuma", "Firmansyah", "Sihombing",
                 "Sutrisno", "Haryanto", "Kartika", "Rohmah", "Sudrajat", "Hermawan", "Supriatna", "Mulyadi")
JALAN = ("Mawar", "Melati", "Kenanga", "Cempaka", "Flamboyan", "Cut Meutia", "Ir. H. Juanda", "Pramuka",
         "Siliwangi", "Kemakmuran", "Chairil Anwar", "Agus Salim", "Raya Hankam", "Bintara Raya",
         "Pekayon Raya", "Raya Narogong", "Jatiwaringin Raya", "Kaliabang", "Raya Setu", "Mustikasari",
         "Pondok Hijau", "Kartini", "Veteran", "Ahmad Yani", "Sultan Agung", "Perjuangan", "Pulo Ribung",
         "Duta Harapan", "Kav. DKI", "Taman Galaxy", "Durian Raya", "Irida Timur", "Patuha Utara")
KATA_NAMA = ("Berkah", "Barokah", "Jaya", "Makmur", "Sejahtera", "Mandiri", "Lestari", "Sentosa", "Amanah",
             "Sukses", "Mulia", "Abadi", "Harapan", "Cahaya", "Bunda", "Mekar", "Pelangi", "Melati", "Patriot",
             "Sumber Rezeki", "Rizki", "Sakinah", "Bersama", "Maju", "Karya", "Bina", "Citra", "Sinar",
             "Mitra", "Tunas", "Swadaya", "Usaha", "Warga", "Rukun", "Gemilang", "Sehati", "Al-Ikhlas")


def _nama_orang(rng: random.Random) -> tuple[str, bool]:
    """A name and whether it is a woman's (the NIK adds 40 to a woman's birth day)."""
    wanita = rng.random() < 0.5
    depan = rng.choice(NAMA_DEPAN_WANITA if wanita else NAMA_DEPAN_PRIA)
    if rng.random() < 0.2:
        return depan, wanita
    return f"{depan} {rng.choice(NAMA_BELAKANG)}", wanita


class Nomor:
    """Issues unique random identifiers (NIK, NIB, ...) from one generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.issued: set[str] = set()

    def unique(self, make: Callable[[random.Random], str]) -> str:
        while (number := make(self.rng)) in self.issued:
            pass
        self.issued.add(number)
        return number

    def nik(self, kecamatan: str, wanita: bool) -> str:
        def make(rng):
            lahir = date(1955, 1, 1) + timedelta(days=rng.randrange(17_000))
            hari = lahir.day + (40 if wanita else 0)
            serial = rng.randrange(1, 3000)
            return f"3275{KECAMATAN[kecamatan][0]}{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{serial:04d}"
        return self.unique(make)

    def digits(self, prefix: str, length: int) -> str:
        return self.unique(lambda rng: prefix + _random_digits(rng, length - len(prefix)))


def _random_digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10 ** count):0{count}d}"


def _telepon(rng: random.Random) -> str | None:
    if rng.random() < 0.08:
        return None
    operator = rng.choice(("11", "12", "13", "21", "22", "52", "53", "57", "58", "77", "78", "81", "82",
                           "95", "96", "98"))
    return "08" + operator + _random_digits(rng, rng.choice((8, 8, 9)))


def _alamat(rng: random.Random) -> str | None:
    if rng.random() < 0.05:
        return None
    alamat = f"Jl. {rng.choice(JALAN)} No. {rng.randint(1, 150)}"
    if rng.random() < 0.5:
        alamat += f" RT {rng.randint(1, 15):03d}/RW {rng.randint(1, 25):03d}"
    return alamat


def _tempat(rng: random.Random) -> tuple[str, str]:
    kecamatan = rng.choice(tuple(KECAMATAN))
    return kecamatan, rng.choice(KECAMATAN[kecamatan][1])


def _tanggal(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _akhir_triwulan(day: date) -> date:
    month = (day.month - 1) // 3 * 3 + 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def _extract_date(day: date) -> date:
    """Rows are delivered in the quarterly extract of their date; 2023 and before in the backlog."""
    return date(2023, 12, 31) if day.year <= 2023 else _akhir_triwulan(day)


# --- Koperasi (ods) -----------------------------------------------------------------------------

# RAT pattern over book years 2022, 2023, 2024: H held the next year, L held late (2025, after the
# next book year closed too), T entered as not held, X not held and dissolved (Bubar),
# D dissolution RAT (held, Bubar), - no row.
POLA_RAT = {
    "HHH": 800,  # a RAT every year
    "HTH": 40,  # skipped the RAT on book year 2023
    "HHT": 30,  # no RAT on book year 2024 (entered as not held)
    "HH-": 25,  # no RAT on book year 2024 (nothing entered)
    "HTT": 20,  # last RAT on book year 2022: still active through 2025
    "-HH": 30,  # founded in 2023
    "--H": 25,  # founded in 2024: its first RAT is no improvement
    "HLH": 12,  # RAT on book year 2023 held late, in 2025
    "HHX": 10,  # dissolved during 2024
    "HX-": 8,  # dissolved during 2023
    "HHD": 2,  # dissolution RAT in 2025
    "TTT": 28,  # no RAT at all
}
POLA_AKTIF_2025 = ("HHH", "HTH", "HHT", "HH-", "HTT", "-HH", "--H", "HLH")
POLA_TIDAK_AKTIF_2024 = ("--H", "HHX", "HX-", "TTT")
TAHUN_BUKU = (2022, 2023, 2024)

# (jenis, weight, median volume usaha in Rp)
JENIS_KOPERASI = (("Konsumen", 50, 250e6), ("Simpan Pinjam", 22, 900e6), ("Jasa", 12, 180e6),
                  ("Produsen", 10, 150e6), ("Pemasaran", 6, 120e6))
# Month a RAT is held in (mostly the first semester), as weights for Jan..Dec.
BULAN_RAT = (4, 16, 30, 22, 14, 8, 2, 1.5, 1, 1, 0.5, 0)

# How a cooperative's RAT report compares with its previous one: (volume factor, aset factor).
PERBANDINGAN = {
    "naik": ((1.05, 1.45), (1.01, 1.20)),  # quality improved: both up
    "aset": ((1.02, 1.35), (0.85, 0.995)),  # volume up, aset down
    "aset_tetap": ((1.02, 1.35), (1.0, 1.0)),  # volume up, aset unchanged: not strictly greater
    "volume": ((0.80, 0.995), (1.0, 1.15)),  # volume down
    "turun": ((0.80, 0.995), (0.85, 0.995)),  # both down
}


@dataclass
class Rat:
    tahun_buku: int
    tanggal_rat: date | None
    status: str
    anggota: int
    volume_usaha: float
    aset: float
    shu_rate: float
    modal_sendiri_rate: float | None
    sen: bool  # aset recorded with ,50 sen


@dataclass
class Koperasi:
    nik: str
    nama: str
    jenis: str
    kecamatan: str
    kelurahan: str | None
    pola: str
    pengurus: int
    perbandingan_2025: str | None = None
    rats: dict[int, Rat] = field(default_factory=dict)

    @property
    def aktif_2025(self) -> bool:
        return self.pola in POLA_AKTIF_2025

    def held(self) -> list[Rat]:
        return sorted((r for r in self.rats.values() if r.tanggal_rat), key=lambda r: r.tanggal_rat)

    def held_in(self, year: int) -> list[Rat]:
        return [r for r in self.held() if r.tanggal_rat.year == year]


def _nama_koperasi(rng: random.Random, jenis: str, kelurahan: str) -> str:
    kata = rng.choice(KATA_NAMA)
    pilihan = {
        "Konsumen": (f"Koperasi Konsumen {kata} {kelurahan}", f"Koperasi Karyawan PT {kata} Sentosa Abadi",
                     f"Koperasi Pegawai Republik Indonesia {kata}", f"Koperasi Wanita {kata}",
                     f"Koperasi Pondok Pesantren {kata}", f"Koperasi Konsumen Warga {kelurahan}"),
        "Simpan Pinjam": (f"Koperasi Simpan Pinjam {kata} {kelurahan}", f"KSP {kata} Mandiri",
                          f"KSPPS {kata} Syariah", f"Koperasi Simpan Pinjam Wanita {kata}"),
        "Jasa": (f"Koperasi Jasa {kata}", f"Koperasi Jasa Angkutan {kata}", f"Koperasi Jasa Parkir {kata}"),
        "Produsen": (f"Koperasi Produsen {kata}", f"Koperasi Produsen Tahu Tempe {kata}",
                     f"Koperasi Perajin {kata} {kelurahan}"),
        "Pemasaran": (f"Koperasi Pemasaran {kata}", f"Koperasi Pedagang Pasar {kelurahan}"),
    }[jenis]
    return rng.choice(pilihan)


def _koperasi(rng: random.Random) -> list[Koperasi]:
    nomor = Nomor(rng)
    pola = [p for p, n in POLA_RAT.items() for _ in range(n)]
    rng.shuffle(pola)
    names: set[str] = set()
    koperasi = []
    for p in pola:
        jenis = rng.choices([j for j, _, _ in JENIS_KOPERASI], [w for _, w, _ in JENIS_KOPERASI])[0]
        kecamatan, kelurahan = _tempat(rng)
        nama = _nama_koperasi(rng, jenis, kelurahan)
        while nama in names:
            nama = f"{nama} {rng.choice(('II', 'III', 'Baru', kelurahan))}"
        names.add(nama)
        pengurus = rng.choices((1, 2, 3, 4, 5, 7), (4, 15, 68, 5, 7, 1))[0]
        koperasi.append(Koperasi(nomor.digits("3275", 16), nama, jenis, kecamatan,
                                 None if rng.random() < 0.1 else kelurahan, p, pengurus))
    _assign_perbandingan_2025(rng, koperasi)
    for kop in koperasi:
        _rat_reports(rng, kop)
    _fit_volumes(koperasi)
    _fit_pengurus(koperasi)
    return koperasi


def _assign_perbandingan_2025(rng: random.Random, koperasi: list[Koperasi]) -> None:
    """Decides which cooperatives' latest RAT of 2025 beats their previous one (IKU-01)."""
    candidates = [k for k in koperasi if k.pola in ("HHH", "HTH", "-HH", "HLH")]
    improved = set(map(id, rng.sample(candidates, IMPROVED_2025)))
    for kop in candidates:
        if id(kop) in improved:
            kop.perbandingan_2025 = "naik"
        else:
            kop.perbandingan_2025 = rng.choices(("aset", "aset_tetap", "volume", "turun"), (40, 5, 35, 20))[0]


def _tanggal_rat(rng: random.Random, tahun_buku: int, kode: str, pola: str) -> date | None:
    if kode in "TX-":
        return None
    if kode == "L":
        return _tanggal(rng, date(2025, 1, 8), date(2025, 3, 25))
    if pola == "HLH" and tahun_buku == 2024:  # after the late one
        return _tanggal(rng, date(2025, 4, 5), date(2025, 6, 27))
    month = rng.choices(range(1, 13), BULAN_RAT)[0]
    return _tanggal(rng, date(tahun_buku + 1, month, 1), date(tahun_buku + 1, month, 28))


def _status(rng: random.Random, kode: str, tahun_buku: int) -> str:
    if kode in "XD":
        return "Bubar"
    if kode == "T":
        return "Tidak Aktif" if rng.random() < 0.7 else "Aktif"
    # ODS lags behind: a few cooperatives that keep holding RATs are still recorded Tidak Aktif.
    return "Tidak Aktif" if tahun_buku == 2024 and rng.random() < 0.02 else "Aktif"


def _rat_reports(rng: random.Random, kop: Koperasi) -> None:
    median = next(m for j, _, m in JENIS_KOPERASI if j == kop.jenis)
    volume = min(median * rng.lognormvariate(0, 1.2), 25e9)
    aset = volume * rng.uniform(0.6, 2.5)
    anggota = max(20, int(rng.lognormvariate(4.8, 0.9)))
    previous_held = None
    for tahun_buku, kode in zip(TAHUN_BUKU, kop.pola):
        if kode == "-":
            continue
        tanggal = _tanggal_rat(rng, tahun_buku, kode, kop.pola)
        if previous_held is not None:
            judged = tanggal and tahun_buku == 2024 and kop.perbandingan_2025
            mode = kop.perbandingan_2025 if judged else _perbandingan_lain(rng)
            (v_lo, v_hi), (a_lo, a_hi) = PERBANDINGAN[mode]
            volume = previous_held.volume_usaha * rng.uniform(v_lo, v_hi)
            aset = previous_held.aset * rng.uniform(a_lo, a_hi)
            anggota = max(20, int(anggota * rng.uniform(0.95, 1.08)))
        rat = Rat(tahun_buku, tanggal, _status(rng, kode, tahun_buku), anggota, volume, aset,
                  rng.uniform(-0.02, 0.08), None if rng.random() < 0.15 else rng.uniform(0.25, 0.8),
                  rng.random() < 0.25)
        kop.rats[tahun_buku] = rat
        if tanggal:
            previous_held = rat


def _perbandingan_lain(rng: random.Random) -> str:
    """Book years other than the one judged in 2025: volume grows about 1% a year on the whole."""
    return rng.choices(("naik", "aset", "volume", "turun"), (22, 30, 30, 18))[0]


def _fit_volumes(koperasi: list[Koperasi]) -> None:
    """Fits the volumes to the published business volumes, leaving every IKU-01 comparison of 2025
    as decided: all book values are scaled alike to the RATs held in 2025; then the RATs of 2024
    are fitted on those whose volume decides no comparison of 2025 (no RAT in 2025, or aset not
    grown anyway), and the RATs of 2023 to the published 2024 growth on those other than a
    cooperative's previous RAT in 2025."""
    aktif = [k for k in koperasi if k.aktif_2025]
    scale = VOLUME_USAHA_KOPERASI[2025] / sum(r.volume_usaha for r in _held(aktif, 2025))
    for kop in koperasi:
        for rat in kop.rats.values():
            rat.volume_usaha *= scale
            rat.aset *= scale
        _round_book_values(kop)
    improved = [k for k in aktif if k.perbandingan_2025 == "naik"]
    max(_held(improved, 2025), key=lambda r: r.volume_usaha).volume_usaha += (
        VOLUME_USAHA_KOPERASI[2025] - sum(r.volume_usaha for r in _held(aktif, 2025)))
    undecided = [k for k in aktif if not k.held_in(2025) or k.perbandingan_2025 in ("aset", "aset_tetap", "turun")]
    _fit_sum(_held(undecided, 2024), _held(aktif, 2024), VOLUME_USAHA_KOPERASI[2024])
    aktif_2024 = [k for k in koperasi if k.pola not in POLA_TIDAK_AKTIF_2024]
    volume_2024 = sum(r.volume_usaha for r in _held(aktif_2024, 2024))
    _fit_sum(_held([k for k in aktif_2024 if k.pola != "HTH"], 2023), _held(aktif_2024, 2023),
             round(volume_2024 / (1 + KOPERASI_VOLUME_GROWTH_2024)))


def _held(koperasi: list[Koperasi], year: int) -> list[Rat]:
    return [r for k in koperasi for r in k.held_in(year)]


def _fit_sum(free: list[Rat], rats: list[Rat], total: int) -> None:
    """Scales the volumes of `free`, some of `rats`, so that `rats` add up to `total`."""
    target = total - sum(r.volume_usaha for r in rats) + sum(r.volume_usaha for r in free)
    factor = target / sum(r.volume_usaha for r in free)
    assert 0.8 < factor < 1.25, factor
    for rat in free:
        rat.volume_usaha = round(rat.volume_usaha * factor)
    max(free, key=lambda r: r.volume_usaha).volume_usaha += target - sum(r.volume_usaha for r in free)


def _round_book_values(kop: Koperasi) -> None:
    for rat in kop.rats.values():
        rat.volume_usaha = round(rat.volume_usaha)
        rat.aset = Decimal(round(rat.aset)) + (Decimal("0.50") if rat.sen else 0)
    if kop.perbandingan_2025 == "aset_tetap":
        current, previous = kop.held()[-1], kop.held()[-2]
        current.aset = previous.aset


def _fit_pengurus(koperasi: list[Koperasi]) -> None:
    """Adjusts board sizes so the active cooperatives count the published number of pengurus."""
    aktif = [k for k in koperasi if k.aktif_2025]
    gap = JUMLAH_PENGURUS - sum(k.pengurus for k in aktif)
    for kop in (k for k in aktif if k.pengurus == 3):
        if gap == 0:
            break
        kop.pengurus += 1 if gap > 0 else -1
        gap += -1 if gap > 0 else 1
    assert gap == 0, gap


def _rat_row(kop: Koperasi, rat: Rat) -> dict:
    modal_sendiri = None if rat.modal_sendiri_rate is None else Decimal(round(rat.aset * Decimal(
        str(round(rat.modal_sendiri_rate, 4)))))
    return {
        "nik": kop.nik, "nama_koperasi": kop.nama, "jenis_koperasi": kop.jenis, "kecamatan": kop.kecamatan,
        "kelurahan": kop.kelurahan, "status_koperasi": rat.status, "tahun_buku": rat.tahun_buku,
        "tanggal_rat": rat.tanggal_rat, "jumlah_anggota": rat.anggota, "jumlah_pengurus": kop.pengurus,
        "aset": rat.aset, "volume_usaha": rat.volume_usaha, "shu": round(rat.volume_usaha * rat.shu_rate),
        "modal_sendiri": modal_sendiri,
        "modal_luar": None if modal_sendiri is None else rat.aset - modal_sendiri,
    }


def _rat_rows(koperasi: list[Koperasi]) -> dict[date, list[dict]]:
    """RAT rows by extract: a held RAT in the quarter it was held, a dissolution (Bubar) at the end
    of its book year, another book year without RAT after the 30 June deadline."""
    by_extract: dict[date, list[dict]] = {}
    for kop in koperasi:
        for rat in kop.rats.values():
            no_rat = date(rat.tahun_buku, 12, 31) if rat.status == "Bubar" else date(rat.tahun_buku + 1, 6, 30)
            day = rat.tanggal_rat or no_rat
            by_extract.setdefault(_extract_date(day), []).append(_rat_row(kop, rat))
    for rows in by_extract.values():
        rows.sort(key=lambda r: (r["tanggal_rat"] or date(r["tahun_buku"], 12, 31), r["nik"]))
    return by_extract


def _rat_exports(rng: random.Random, koperasi: list[Koperasi]) -> dict[date, list[dict]]:
    rows = _rat_rows(koperasi)
    _correct_volume_typo(koperasi, rows)
    # The operator exported three rows of the March extract again, unchanged.
    redelivered = rng.sample([r for r in rows[date(2025, 3, 31)] if r["tahun_buku"] == 2024], 3)
    rows[date(2025, 6, 30)].extend(dict(r) for r in redelivered)
    _bad_rat_rows(rng, koperasi, rows[date(2025, 6, 30)])
    return rows


def _correct_volume_typo(koperasi: list[Koperasi], rows: dict[date, list[dict]]) -> None:
    """Correction: a book year 2023 RAT entered in June 2024 with an extra digit in volume_usaha,
    re-delivered corrected in the March 2025 extract."""
    kop = next(k for k in koperasi if k.pola == "HHH" and k.perbandingan_2025 == "naik"
               and k.rats[2023].tanggal_rat.month in (4, 5, 6) and k.rats[2023].volume_usaha > 100_000_000)
    corrected = _rat_row(kop, kop.rats[2023])
    first = next(r for r in rows[date(2024, 6, 30)] if r["nik"] == kop.nik and r["tahun_buku"] == 2023)
    first["volume_usaha"] = corrected["volume_usaha"] * 10
    rows[date(2025, 3, 31)].insert(0, corrected)


def _bad_rat_rows(rng: random.Random, koperasi: list[Koperasi], rows: list[dict]) -> None:
    template = next(r for r in rows if r["tahun_buku"] == 2024 and r["tanggal_rat"])
    nomor = Nomor(rng)
    nomor.issued.update(k.nik for k in koperasi)
    tanpa_pengurus = dict(template, nik=nomor.digits("3275", 16), jumlah_pengurus=None,
                          nama_koperasi=f"Koperasi {template['jenis_koperasi']} Sinar Harapan")
    kop = next(k for k in koperasi if k.pola == "HHH" and k.nik != template["nik"])
    terlalu_dini = dict(_rat_row(kop, kop.rats[2024]), tahun_buku=2025, tanggal_rat=date(2025, 5, 17))
    _insert_rejects("rat_20250630.csv", rows, {"jumlah_pengurus": tanpa_pengurus, "tanggal_rat": terlalu_dini})


# --- Kegiatan (ods): supervision of cooperatives ---------------------------------------------------

KEGIATAN_SUB = {
    "NIB_SIMPAN_PINJAM": "2.17.02.2.01.0001",
    "PEMERIKSAAN": "2.17.03.2.01.0001",
    "PENILAIAN_KESEHATAN": "2.17.04.2.01.0001",
    "DIKLAT": "2.17.05.2.01.0001",
}
KETERANGAN = {
    "NIB_SIMPAN_PINJAM": ("Pendampingan pengajuan melalui OSS RBA", "KBLI 64141 terdaftar"),
    "PEMERIKSAAN": ("Pemeriksaan rutin", "Tindak lanjut pengaduan anggota", "Pemeriksaan kelengkapan RAT"),
    "PENILAIAN_KESEHATAN": ("Penilaian tahunan KSP/USP", "Penilaian ulang"),
    "DIKLAT": ("Diklat Dasar Perkoperasian", "Diklat Manajemen Keuangan Koperasi", "Diklat Pengawas Koperasi"),
}


def _kegiatan(rng: random.Random, koperasi: list[Koperasi]) -> list[dict]:
    aktif = [k for k in koperasi if k.aktif_2025]
    tidak_aktif = [k for k in koperasi if not k.aktif_2025]
    simpan_pinjam = [k for k in aktif if k.jenis == "Simpan Pinjam"]
    events = []  # (jenis, koperasi, tanggal)
    for kop in rng.sample(simpan_pinjam, NIB_SIMPAN_PINJAM - 8) + rng.sample(
            [k for k in aktif if k.jenis == "Konsumen"], 8):
        year = 2024 if rng.random() < 0.57 else 2025
        events.append(("NIB_SIMPAN_PINJAM", kop, _tanggal(rng, date(year, 1, 15), date(year, 12, 12))))
    events += [("NIB_SIMPAN_PINJAM", k, _tanggal(rng, date(2024, 2, 1), date(2024, 9, 30)))
               for k in rng.sample([k for k in tidak_aktif if k.pola == "HHX"], 2)]
    events += _examinations(rng, aktif, tidak_aktif)
    events += _health_assessments(rng, simpan_pinjam, aktif, tidak_aktif)
    rows = [_kegiatan_row(rng, jenis, kop, tanggal, None) for jenis, kop, tanggal in events]
    rows += _diklat(rng, aktif, tidak_aktif, koperasi)
    rows.sort(key=lambda r: (r["tanggal"], r["nik"], r["jenis"]))
    for year in (2024, 2025):
        for seq, row in enumerate((r for r in rows if r["tanggal"].year == year), start=1):
            row["id_kegiatan"] = f"KGT-{year}-{seq:04d}"
    return rows


def _examinations(rng: random.Random, aktif: list[Koperasi], tidak_aktif: list[Koperasi]) -> list[tuple]:
    events = []
    for year, count in ((2024, 96), (2025, DIPERIKSA_2025)):
        examined = rng.sample(aktif, count)
        for kop in examined + rng.sample(examined, 8) + rng.sample(tidak_aktif, 3):
            events.append(("PEMERIKSAAN", kop, _tanggal(rng, date(year, 2, 3), date(year, 11, 28))))
    return events


def _health_assessments(rng: random.Random, simpan_pinjam: list[Koperasi], aktif: list[Koperasi],
                        tidak_aktif: list[Koperasi]) -> list[tuple]:
    usp = [k for k in aktif if k.jenis == "Konsumen"]
    events = []
    for year, count in ((2024, 44), (2025, DINILAI_KESEHATAN_2025)):
        assessed = rng.sample(simpan_pinjam, count - 6) + rng.sample(usp, 6)
        dormant = [k for k in tidak_aktif if k.jenis == "Simpan Pinjam"]
        assessed += rng.sample(dormant, min(2, len(dormant)))
        events += [("PENILAIAN_KESEHATAN", k, _tanggal(rng, date(year, 4, 1), date(year, 11, 21)))
                   for k in assessed]
    return events


def _diklat(rng: random.Random, aktif: list[Koperasi], tidak_aktif: list[Koperasi],
            koperasi: list[Koperasi]) -> list[dict]:
    """Training batches: in 2025 the pengurus trained from active cooperatives add up to 412."""
    rows = []
    aktif_2024 = [k for k in koperasi if k.pola not in POLA_TIDAK_AKTIF_2024]
    for year, participants, months in ((2024, aktif_2024, (3, 5, 7, 8, 10, 11)),
                                       (2025, aktif, (3, 5, 6, 7, 8, 10, 11, 11))):
        days = [_workday(date(year, month, rng.randint(3, 27))) for month in months]
        trained = rng.sample(participants, 150 if year == 2024 else 165)
        rows += [_kegiatan_row(rng, "DIKLAT", k, rng.choice(days), min(k.pengurus, rng.randint(1, 4)))
                 for k in trained]
        if year == 2025:
            _fit_peserta([r for r in rows if r["tanggal"].year == 2025], aktif)
            rows += [_kegiatan_row(rng, "DIKLAT", k, rng.choice(days), 2) for k in rng.sample(tidak_aktif, 2)]
    return rows


def _fit_peserta(rows: list[dict], aktif: list[Koperasi]) -> None:
    """Moves participants one at a time, within each cooperative's board, to the published total."""
    pengurus = {k.nik: k.pengurus for k in aktif}
    gap = PESERTA_DIKLAT_2025 - sum(r["jumlah_peserta"] for r in rows)
    while gap:
        for row in rows:
            if gap > 0 and row["jumlah_peserta"] < pengurus[row["nik"]]:
                row["jumlah_peserta"] += 1
                gap -= 1
            elif gap < 0 and row["jumlah_peserta"] > 1:
                row["jumlah_peserta"] -= 1
                gap += 1
            if not gap:
                break


def _kegiatan_row(rng: random.Random, jenis: str, kop: Koperasi, tanggal: date, peserta: int | None) -> dict:
    hasil = None
    if jenis == "PEMERIKSAAN":
        hasil = rng.choices(("PATUH", "TIDAK_PATUH"), (70, 30))[0]
    elif jenis == "PENILAIAN_KESEHATAN":
        hasil = rng.choices(("SEHAT", "CUKUP_SEHAT", "DALAM_PENGAWASAN", "DALAM_PENGAWASAN_KHUSUS"),
                            (30, 45, 20, 5))[0]
    return {
        "id_kegiatan": None, "nik": kop.nik, "tanggal": tanggal, "jenis": jenis, "hasil": hasil,
        "jumlah_peserta": peserta, "kode_sub_kegiatan": None if rng.random() < 0.1 else KEGIATAN_SUB[jenis],
        "keterangan": rng.choice(KETERANGAN[jenis]) if rng.random() < 0.6 else None,
    }


def _bad_kegiatan_row(rng: random.Random, koperasi: list[Koperasi], rows: list[dict]) -> dict:
    examined = {r["nik"] for r in rows if r["jenis"] == "PEMERIKSAAN" and r["tanggal"].year == 2025}
    kop = next(k for k in koperasi if k.aktif_2025 and k.nik not in examined)
    return dict(_kegiatan_row(rng, "PEMERIKSAAN", kop, date(2025, 8, 14), None), hasil=None,
                id_kegiatan="KGT-2025-0900", keterangan="Hasil menunggu laporan tim")


# --- Usaha mikro and PKL (sip3) -----------------------------------------------------------------

# Registered micro businesses (with SKB) by what happens to them, as (category, count):
#   terdaftar_nib   SKB and NIB by the end of 2024, still active      (wirausaha both years)
#   nib_2025        SKB by 2024, NIB recorded in 2025
#   tanpa_nib       SKB by 2024, no NIB
#   nib_tutup       SKB and NIB by 2024, closed (Tidak Aktif) in 2025
#   tutup           SKB by 2024, no NIB, closed in 2025
#   baru_nib        SKB in 2025, with NIB
#   baru            SKB in 2025, no NIB
#   tutup_lama      SKB, closed during 2024
#   tanpa_skb       in SIP3 without SKB (some with NIB)
KATEGORI_USAHA = (("terdaftar_nib", 3229), ("nib_2025", 300), ("tanpa_nib", 4274), ("nib_tutup", 60),
                  ("tutup", 120), ("baru_nib", 150), ("baru", 350), ("tutup_lama", 150), ("tanpa_skb", 400))
# Street vendors (PKL): TDU by 2024 and active; TDU in 2025; no TDU; TDU and closed in 2025.
KATEGORI_PKL = (("pkl_tdu", 2650), ("pkl_tdu_2025", 284), ("pkl_tanpa_tdu", 150), ("pkl_tutup", 70))
# Categories of registered micro businesses at the end of a year (SKB, still active).
REGISTERED_AT_END = {2024: ("terdaftar_nib", "nib_2025", "tanpa_nib", "nib_tutup", "tutup"),
                     2025: ("terdaftar_nib", "nib_2025", "tanpa_nib", "baru_nib", "baru")}
NAIK_KELAS_2025 = 9  # micro businesses that became small in 2025 (IKU-02)
NAIK_KELAS_2024 = 7

SEKTOR = {
    "Kuliner": ("Warung {nick}", "Dapur {nick}", "Kedai {kata}", "Keripik {kata}", "Bakso {nick}",
                "Nasi Uduk {nick}", "Kue Basah {nick}", "Sambal {kata}", "Catering {kata}", "Madu {kata}"),
    "Fashion": ("Konveksi {kata}", "Batik {kata}", "Hijab {kata}", "Butik {nick}", "Jahit {nick}"),
    "Kriya": ("Kerajinan {kata}", "Anyaman {kata}", "Souvenir {kata}", "Rajut {nick}"),
    "Jasa": ("Laundry {kata}", "Salon {nick}", "Servis Elektronik {kata}", "Percetakan {kata}"),
    "Perdagangan": ("Toko {kata}", "Toko Sembako {nick}", "Agen {kata}", "Grosir {kata}"),
    "Otomotif": ("Bengkel {kata} Motor", "Cuci Motor {nick}", "Suku Cadang {kata}"),
    "Kosmetik": ("{kata} Beauty", "Sabun {kata}", "Kosmetik {kata}"),
}
SEKTOR_WEIGHTS = (40, 14, 8, 12, 16, 5, 5)
PKL_USAHA = ("Gerobak Bakso {nick}", "Pecel Lele {kata}", "Gorengan {nick}", "Es Teh {kata}", "Siomay {nick}",
             "Ketoprak {nick}", "Martabak {kata}", "Sate Ayam {nick}", "Kopi Keliling {nick}",
             "Buah Potong {nick}", "Pulsa {kata}", "Soto Betawi {nick}")
PEMBINAAN_SUB = {
    "PENDAMPINGAN": "2.17.07.2.01.0001",
    "KEMITRAAN": "2.17.07.2.01.0002",
    "PELATIHAN": "2.17.07.2.01.0004",
    "FASILITASI_LEGALITAS": "2.17.08.2.01.0001",
    "BANTUAN_SARANA": "2.17.08.2.01.0001",
    "PAMERAN": "2.17.08.2.01.0001",
}

MIKRO_MAX_OMZET = 1_600_000_000  # plain micro businesses stay well inside Mikro (<= Rp 2 M)


def _ratus_ribu(amount: float) -> int:
    """SIP3 amounts are entered in whole hundred thousands of rupiah."""
    return round(amount / 100_000) * 100_000


@dataclass
class Pendataan:
    """One observation of a business; its state is derived from the business's events."""

    tanggal: date
    omzet: int | None = None
    modal: int | None = None
    tenaga_kerja: int | None = None


@dataclass
class Usaha:
    id_umkm: str
    nama_usaha: str
    pemilik: str
    nik_pemilik: str
    no_hp: str | None
    alamat: str | None
    kecamatan: str
    kelurahan: str | None
    sektor: str
    informal_pkl: bool
    kategori: str
    terdaftar: date  # first observation
    pendataan: list[Pendataan] = field(default_factory=list)
    skb: tuple[str, date, date] | None = None  # number, tanggal_skb, first observation showing it
    nib: tuple[str, date, date] | None = None
    tdu: tuple[str, date] | None = None  # number, first observation showing it
    tutup: date | None = None  # first observation recorded Tidak Aktif
    pembinaan: list[date] = field(default_factory=list)
    special: bool = False  # scale story scripted (moves up, traps): not rescaled

    def observed_in(self, year: int) -> list[Pendataan]:
        return [p for p in self.pendataan if p.tanggal.year == year]


class Sip3:
    """Builds the SIP3 registry: businesses, their observations and facilitations."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.nomor = Nomor(rng)
        self.skb_seq = 0
        self.tdu_seq = 0

    def build(self) -> list[Usaha]:
        rng = self.rng
        plans = [k for k, n in KATEGORI_USAHA for _ in range(n)] + [k for k, n in KATEGORI_PKL for _ in range(n)]
        rng.shuffle(plans)
        usaha = [self._usaha(seq, kategori) for seq, kategori in enumerate(plans, start=1)]
        self._plan_pembinaan(usaha)
        for u in usaha:
            self._observe(u)
            self._events(u)
            self._values(u)
        self._scripted_scales(usaha)
        for year, growth in UMKM_VOLUME_GROWTH.items():
            _fit_umkm_volume(usaha, year, growth)
        return usaha

    def _usaha(self, seq: int, kategori: str) -> Usaha:
        rng = self.rng
        pemilik, wanita = _nama_orang(rng)
        kecamatan, kelurahan = _tempat(rng)
        pkl = kategori.startswith("pkl")
        sektor = "Kuliner" if pkl and rng.random() < 0.85 else (
            "Perdagangan" if pkl else rng.choices(list(SEKTOR), SEKTOR_WEIGHTS)[0])
        template = rng.choice(PKL_USAHA if pkl else SEKTOR[sektor])
        nick = rng.choice(("Bu ", "Mpok ", "") if wanita else ("Pak ", "Bang ", "")) + pemilik.split()[0]
        return Usaha(f"SIP3-{seq:06d}", template.format(nick=nick, kata=rng.choice(KATA_NAMA)), pemilik,
                     self.nomor.nik(kecamatan, wanita), _telepon(rng), _alamat(rng), kecamatan,
                     None if rng.random() < 0.07 else kelurahan, sektor, pkl, kategori,
                     self._registration_day(kategori))

    def _registration_day(self, kategori: str) -> date:
        """First observation: most businesses are in SIP3 before 2024; some are new in 2024 or 2025."""
        rng = self.rng
        new_2025 = {"baru_nib": 0.7, "baru": 0.7, "pkl_tdu_2025": 0.3}.get(kategori, 0)
        if rng.random() < new_2025:
            return _tanggal(rng, date(2025, 1, 6), date(2025, 11, 28))
        if kategori != "tutup_lama" and rng.random() < 0.12:
            return _tanggal(rng, date(2024, 1, 8), date(2024, 11, 30))
        return _tanggal(rng, date(2021, 3, 1), date(2023, 12, 20))

    def _plan_pembinaan(self, usaha: list[Usaha]) -> None:
        """Facilitations of micro businesses and street vendors, 2023 to 2025; in 2025 of 462
        registered PKL."""
        rng = self.rng

        def pool(year: int, *kategori: str) -> list[Usaha]:
            return [u for u in usaha if u.kategori in kategori and u.terdaftar <= date(year, 6, 30)]

        for year, count in ((2023, 1300), (2024, 1180), (2025, 1240)):
            for u in rng.sample(pool(year, "terdaftar_nib", "nib_2025", "tanpa_nib", "baru_nib", "baru"), count):
                self._facilitate(u, year)
        for year in (2024, 2025):
            for u in rng.sample(pool(year, "nib_tutup", "tutup", "tanpa_skb"), 60):
                self._facilitate(u, year)
        for year, count in ((2023, 380), (2024, 410)):
            for u in rng.sample(pool(year, "pkl_tdu", "pkl_tutup"), count):
                self._facilitate(u, year)
        for u in rng.sample(pool(2025, "pkl_tdu", "pkl_tdu_2025"), PKL_DIBERDAYAKAN_2025):
            self._facilitate(u, 2025)
        for u in rng.sample(pool(2025, "pkl_tanpa_tdu"), 25):
            self._facilitate(u, 2025)

    def _facilitate(self, u: Usaha, year: int) -> None:
        # Closures are recorded in the second half of the year, after any facilitation.
        closing = u.kategori in ("nib_tutup", "tutup", "pkl_tutup", "tutup_lama")
        start, end = max(date(year, 1, 20), u.terdaftar), date(year, 6, 30) if closing else date(year, 12, 10)
        times = 1 if self.rng.random() < 0.75 else 2
        u.pembinaan += [_tanggal(self.rng, start, end) for _ in range(times)]

    def _observe(self, u: Usaha) -> None:
        """Observation days: registration, then monitoring visits; forced where a change or a
        facilitation of a micro business needs one in that year."""
        rng = self.rng
        days = {u.terdaftar}
        forced = {2023: False, 2024: u.kategori == "tutup_lama",
                  2025: u.kategori in ("nib_2025", "nib_tutup", "tutup", "baru_nib", "baru", "pkl_tdu_2025",
                                       "pkl_tutup")}
        for year in (2023, 2024, 2025):
            if u.terdaftar.year > year:
                continue
            facilitated = [d for d in u.pembinaan if d.year == year]
            if facilitated and not u.informal_pkl:
                days.add(min(max(facilitated) + timedelta(days=rng.randint(7, 60)), date(year, 12, 20)))
            elif (forced[year] and u.terdaftar.year < year) or (year > 2023 and rng.random() < 0.45):
                days.add(_tanggal(rng, date(year, 1, 10), date(year, 12, 20)))
        if u.terdaftar.year == 2025 and u.kategori == "baru_nib" and rng.random() < 0.5:
            days.add(_tanggal(rng, u.terdaftar + timedelta(days=1), date(2025, 12, 20)))
        u.pendataan = [Pendataan(d) for d in sorted(days)]

    def _events(self, u: Usaha) -> None:
        """SKB, NIB, TDU and closure, placed on observations so the category holds at each year end."""
        rng = self.rng
        obs = [p.tanggal for p in u.pendataan]
        upto_2024 = [d for d in obs if d.year <= 2024]
        in_2025 = [d for d in obs if d.year == 2025]
        k = u.kategori
        if k in ("terdaftar_nib", "nib_2025", "tanpa_nib", "nib_tutup", "tutup", "tutup_lama"):
            u.skb = self._skb(obs[0], obs[0])
        elif k in ("baru_nib", "baru"):
            u.skb = self._skb(in_2025[0], max(in_2025[0] - timedelta(days=rng.randint(0, 60)), date(2025, 1, 2)))
        if k in ("terdaftar_nib", "nib_tutup") or (k == "tanpa_skb" and rng.random() < 0.2):
            shown = rng.choice(upto_2024) if upto_2024 and rng.random() < 0.2 else obs[0]
            u.nib = self._nib(shown, obs)
        elif k == "nib_2025" or k == "baru_nib":
            u.nib = self._nib(rng.choice(in_2025), obs)
        if k in ("nib_tutup", "tutup", "pkl_tutup"):
            u.tutup = in_2025[-1]
        elif k == "tutup_lama":
            u.tutup = [d for d in obs if d.year == 2024][-1]
        if k in ("pkl_tdu", "pkl_tutup"):
            u.tdu = (self._tdu(obs[0].year), obs[0] if rng.random() < 0.85 or not upto_2024 else upto_2024[-1])
        elif k == "pkl_tdu_2025":
            u.tdu = (self._tdu(2025), in_2025[0])

    def _skb(self, shown: date, issued: date) -> tuple[str, date, date]:
        self.skb_seq += 1
        issued = min(issued, shown) - timedelta(days=self.rng.randint(0, 20))
        return f"518/{self.skb_seq:05d}/SKB-UMKM/{issued.year}", issued, shown

    def _nib(self, shown: date, obs: list[date]) -> tuple[str, date, date]:
        before = [d for d in obs if d < shown]
        earliest = before[-1] + timedelta(days=1) if before else shown - timedelta(days=400)
        issued = _tanggal(self.rng, earliest, shown)
        return self.nomor.digits(self.rng.choice(("812", "912", "120")), 13), issued, shown

    def _tdu(self, year: int) -> str:
        self.tdu_seq += 1
        return f"511.3/{self.tdu_seq:05d}/TDU-PKL/{max(year, 2021)}"

    def _values(self, u: Usaha) -> None:
        rng = self.rng
        if u.informal_pkl:
            base, modal = rng.uniform(24e6, 250e6), rng.uniform(3e6, 40e6)
        else:
            base = min(max(100e6 * rng.lognormvariate(0, 0.8), 15e6), 1.3e9)
            modal = min(base * rng.uniform(0.2, 0.8), 900e6)
        growth = rng.uniform(-0.03, 0.06)
        workers = rng.randint(1, 2 if u.informal_pkl else 6)
        for p in u.pendataan:
            years = (p.tanggal - u.pendataan[0].tanggal).days / 365
            omzet = min(base * (1 + growth) ** years * rng.uniform(0.95, 1.05), MIKRO_MAX_OMZET)
            p.omzet = None if rng.random() < 0.03 else _ratus_ribu(omzet)
            p.modal = None if rng.random() < 0.1 else _ratus_ribu(modal)
            p.tenaga_kerja = None if rng.random() < 0.05 else workers

    def _scripted_scales(self, usaha: list[Usaha]) -> None:
        """Micro businesses that became small (Kecil), plus look-alikes the rules do not count."""
        rng = self.rng

        def pick(kategori: str, need_2025: int, need_2024: int = 0) -> Usaha:
            u = next(u for u in usaha if u.kategori == kategori and not u.special
                     and len(u.observed_in(2025)) >= need_2025 and len(u.observed_in(2024)) >= need_2024
                     and u.terdaftar.year <= 2023)
            u.special = True
            return u

        for n in range(NAIK_KELAS_2025):
            _grow(rng, pick("terdaftar_nib", 1), 2025, by_modal=(n == 0))
        for _ in range(NAIK_KELAS_2024):
            _grow(rng, pick("terdaftar_nib", 1, 1), 2024)  # still Kecil in 2025: no second move
        _grow(rng, pick("tanpa_skb", 1), 2025)  # no SKB: not a registered micro business
        unknown_between = pick("tanpa_nib", 1)  # Mikro, unknown scale, then Kecil: not a move
        _grow(rng, unknown_between, 2025)
        move = unknown_between.observed_in(2025)[-1]
        before = unknown_between.pendataan[unknown_between.pendataan.index(move) - 1]
        before.omzet = before.modal = None


def _grow(rng: random.Random, u: Usaha, year: int, by_modal: bool = False) -> None:
    """Mikro up to the last observation of `year`, Kecil from it on (by omzet, or by modal_usaha)."""
    move = u.observed_in(year)[-1]
    for p in u.pendataan:
        kecil = p.tanggal >= move.tanggal
        if by_modal:
            p.omzet = None
            p.modal = _ratus_ribu(rng.uniform(1.2e9, 2.5e9) if kecil else rng.uniform(600e6, 950e6))
        else:
            p.omzet = _ratus_ribu(rng.uniform(2.2e9, 4.8e9) if kecil else rng.uniform(1.5e9, 1.95e9))


def _umkm_volume(usaha: list[Usaha], registered_end: int, year: int) -> list[Pendataan]:
    """Latest observation in `year` of each business registered at the end of `registered_end`
    and facilitated in `year` (RPD-03)."""
    return [u.observed_in(year)[-1] for u in usaha if u.kategori in REGISTERED_AT_END[registered_end]
            and any(d.year == year for d in u.pembinaan) and u.observed_in(year)]


def _fit_umkm_volume(usaha: list[Usaha], year: int, growth: Decimal) -> None:
    """Rescales the omzet of ordinary facilitated businesses observed in `year` so UMKM business
    volume grows by `growth` over the previous year."""
    previous = sum(p.omzet or 0 for p in _umkm_volume(usaha, year, year - 1))
    target = previous + round(previous * growth)
    scripted = {id(p) for u in usaha if u.special for p in u.pendataan}
    current = _umkm_volume(usaha, year, year)
    slack = [p for p in current if id(p) not in scripted and p.omzet]
    fixed = sum(p.omzet or 0 for p in current) - sum(p.omzet for p in slack)
    factor = (target - fixed) / sum(p.omzet for p in slack)
    assert 0.85 < factor < 1.15, factor
    for p in slack:
        p.omzet = _ratus_ribu(p.omzet * factor)
    max(slack, key=lambda p: p.omzet).omzet += target - sum(p.omzet or 0 for p in current)


def _umkm_row(u: Usaha, p: Pendataan) -> dict:
    def shown(event):
        return event is not None and event[-1] <= p.tanggal

    return {
        "id_umkm": u.id_umkm, "nama_usaha": u.nama_usaha, "nama_pemilik": u.pemilik,
        "nik_pemilik": u.nik_pemilik, "no_hp": u.no_hp, "alamat": u.alamat, "kelurahan": u.kelurahan,
        "kecamatan": u.kecamatan, "sektor_usaha": u.sektor,
        "skb": u.skb[0] if shown(u.skb) else None, "tanggal_skb": u.skb[1] if shown(u.skb) else None,
        "nib": u.nib[0] if shown(u.nib) else None, "tanggal_nib": u.nib[1] if shown(u.nib) else None,
        "modal_usaha": p.modal, "omzet_tahunan": p.omzet, "tenaga_kerja": p.tenaga_kerja,
        "informal_pkl": "Ya" if u.informal_pkl else "Tidak", "tdu_pkl": u.tdu[0] if shown(u.tdu) else None,
        "status_usaha": "Tidak Aktif" if u.tutup and u.tutup <= p.tanggal else "Aktif",
        "tanggal_pendataan": p.tanggal,
    }


def _umkm_rows(usaha: list[Usaha]) -> dict[date, list[dict]]:
    by_extract: dict[date, list[dict]] = {}
    for u in usaha:
        for p in u.pendataan:
            by_extract.setdefault(_extract_date(p.tanggal), []).append(_umkm_row(u, p))
    for rows in by_extract.values():
        rows.sort(key=lambda r: (r["tanggal_pendataan"], r["id_umkm"]))
    template = next(r for r in by_extract[date(2025, 3, 31)] if r["nib"] and r["alamat"])
    _insert_rejects("umkm_20250331.csv", by_extract[date(2025, 3, 31)], {"kecamatan": dict(
        template, id_umkm="SIP3-090001", nama_usaha="Rengginang Cikarang", kecamatan="Cikarang Barat",
        kelurahan="Telaga Asih")})
    template = next(r for r in by_extract[date(2025, 9, 30)] if r["skb"] and not r["nib"])
    _insert_rejects("umkm_20250930.csv", by_extract[date(2025, 9, 30)], {"tanggal_skb": dict(
        template, id_umkm="SIP3-090002", nama_usaha="Kue Lapis Legit Bu Neneng", tanggal_skb=None)})
    return by_extract


def _pembinaan_rows(rng: random.Random, usaha: list[Usaha]) -> list[dict]:
    rows = []
    for u in usaha:
        for tanggal in sorted(u.pembinaan):
            rows.append({"id_pembinaan": None, "id_umkm": u.id_umkm, "tanggal": tanggal,
                         "jenis": None, "kode_sub_kegiatan": None, "_pkl": u.informal_pkl})
    rows.sort(key=lambda r: (r["tanggal"], r["id_umkm"]))
    _assign_jenis(rng, rows)
    for year in (2023, 2024, 2025):
        for seq, row in enumerate((r for r in rows if r["tanggal"].year == year), start=1):
            row["id_pembinaan"] = f"PBN-{year}-{seq:05d}"
    for row in rows:
        del row["_pkl"]
        row["kode_sub_kegiatan"] = None if rng.random() < 0.1 else PEMBINAAN_SUB[row["jenis"]]
    return rows


def _assign_jenis(rng: random.Random, rows: list[dict]) -> None:
    """PKL get assistance, equipment and fairs; micro businesses the lot, with entrepreneurship
    training (PELATIHAN) for 443 distinct businesses in 2025."""
    for row in rows:
        if row["_pkl"]:
            row["jenis"] = rng.choices(("PENDAMPINGAN", "BANTUAN_SARANA", "PAMERAN"), (50, 35, 15))[0]
            continue
        options = ["KEMITRAAN", "PENDAMPINGAN", "FASILITASI_LEGALITAS", "BANTUAN_SARANA", "PAMERAN"]
        row["jenis"] = rng.choices(options, (20, 30, 25, 10, 15))[0]
        if row["tanggal"].year < 2025 and rng.random() < 0.3:
            row["jenis"] = "PELATIHAN"
    micro_2025 = sorted({r["id_umkm"] for r in rows if r["tanggal"].year == 2025 and not r["_pkl"]})
    trained = set(rng.sample(micro_2025, PELATIHAN_KEWIRAUSAHAAN_2025))
    for row in rows:
        if row["tanggal"].year == 2025 and row["id_umkm"] in trained:
            row["jenis"] = "PELATIHAN"
            trained.discard(row["id_umkm"])


def _bad_pembinaan_row(rows: list[dict], usaha: list[Usaha]) -> dict:
    empowered = {r["id_umkm"] for r in rows if r["tanggal"].year == 2025}
    pkl = next(u for u in usaha if u.kategori == "pkl_tdu" and u.id_umkm not in empowered)
    return {"id_pembinaan": "PBN-2025-09001", "id_umkm": pkl.id_umkm, "tanggal": date(2025, 5, 22),
            "jenis": None, "kode_sub_kegiatan": "2.17.07.2.01.0001"}


# --- Ledger: budget versions and payments ------------------------------------------------------

BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
         "November", "Desember")
# Month weights of payments (December peak); salaries are paid monthly instead.
BULAN_BAYAR = (0.5, 2, 4, 5, 6, 7, 7, 8, 9, 10, 12, 25)
REKENING = {
    "2.17.01.2.02.0001": (("5.1.01.01.01.0001", "Gaji dan tunjangan ASN"),),
    "2.17.01.2.08.0004": (("5.1.02.02.01.0026", "Belanja Jasa Tenaga Administrasi"),
                          ("5.1.02.02.01.0013", "Belanja Jasa Tenaga Kebersihan"),
                          ("5.1.02.02.01.0061", "Belanja Tagihan Listrik"),
                          ("5.1.02.02.01.0063", "Belanja Kawat/Faksimili/Internet/TV Berlangganan")),
    "2.17.01.2.09.0001": (("5.1.02.03.02.0035", "Belanja Pemeliharaan Kendaraan Dinas Jabatan"),
                          ("5.1.02.01.01.0012", "Belanja Bahan Bakar dan Pelumas")),
    "2.17.01.2.09.0002": (("5.1.02.03.02.0036", "Belanja Pemeliharaan Kendaraan Dinas Operasional"),
                          ("5.1.02.01.01.0012", "Belanja Bahan Bakar dan Pelumas")),
    "2.17.01.2.09.0006": (("5.1.02.03.02.0117", "Belanja Pemeliharaan Alat Kantor Lainnya"),),
    "2.17.01.2.05.0002": (("5.1.02.01.01.0080", "Belanja Pakaian Dinas Harian"),),
    "2.17.01.2.05.0009": (("5.1.02.02.12.0001", "Belanja Kursus Singkat/Pelatihan"),),
    "2.17.01.2.06.0004": (("5.1.02.01.01.0024", "Belanja Alat Tulis Kantor"),
                          ("5.1.02.01.01.0025", "Belanja Kertas dan Cover")),
    "2.17.01.2.06.0005": (("5.1.02.01.01.0026", "Belanja Bahan Cetak"),
                          ("5.1.02.01.01.0027", "Belanja Penggandaan")),
    "2.17.01.2.06.0006": (("5.1.02.01.01.0029", "Belanja Bahan Bacaan dan Peraturan"),),
    "2.17.01.2.06.0008": (("5.1.02.01.01.0053", "Belanja Makanan dan Minuman Jamuan Tamu"),),
}
REKENING_KEGIATAN = (("5.1.02.02.01.0003", "Honorarium Narasumber"),
                     ("5.1.02.01.01.0052", "Belanja Makanan dan Minuman Rapat"),
                     ("5.1.02.04.01.0001", "Belanja Perjalanan Dinas Biasa"),
                     ("5.1.02.02.08.0032", "Belanja Sewa Gedung Pertemuan"),
                     ("5.1.02.01.01.0026", "Belanja Bahan Cetak"))
REKENING_BANTUAN = ("5.1.02.05.01.0001", "Belanja Barang yang Akan Diserahkan kepada Masyarakat")
KONTRA = "Pengembalian belanja (contra pos)"
# Sub-activities with a negative contra payment in the year.
KONTRA_SUB = {2024: ("2.17.01.2.02.0001", "2.17.07.2.01.0004", "2.17.01.2.09.0002"),
              2025: ("2.17.08.2.01.0001", "2.17.06.2.01.0001", "2.17.01.2.06.0004")}


def _anggaran_rows(year: int, tahap: str, tanggal: date) -> list[dict]:
    return [{"tahun_anggaran": year, "tahap": tahap, "tanggal_penetapan": tanggal, "kode_sub_kegiatan": s.kode,
             "nama_program": PROGRAMS[s.program], "nama_kegiatan": KEGIATAN[s.kegiatan],
             "nama_sub_kegiatan": s.nama,
             "pagu": s.tahun[year].murni if tahap == "MURNI" else s.tahun[year].perubahan}
            for s in SUB_KEGIATAN]


def _workday(day: date) -> date:
    """The Monday after a weekend day (days drawn up to the 28th stay in their month)."""
    return day + timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


def _split(total: int, weights: list[float]) -> list[int]:
    """Splits `total` into amounts proportional to `weights`, in whole thousands but the last."""
    amounts = [int(total * w / sum(weights)) // 1000 * 1000 for w in weights[:-1]]
    return amounts + [total - sum(amounts)]


def _salary_payments(rng: random.Random, s: SubKegiatan, year: int, total: int) -> list[dict]:
    thr = date(year, 4, 3) if year == 2024 else date(year, 3, 17)
    days = [(_workday(date(year, m, rng.randint(2, 6))), f"Gaji dan tunjangan ASN bulan {BULAN[m - 1]} {year}")
            for m in range(1, 13)]
    days += [(_workday(thr), f"Tunjangan Hari Raya ASN {year}"),
             (_workday(date(year, 6, 20)), f"Gaji ke-13 ASN {year}")]
    amounts = _split(total, [rng.uniform(0.98, 1.02) for _ in days])
    return [_payment(year, s.kode, d, REKENING[s.kode][0][0], uraian, a) for (d, uraian), a in zip(days, amounts)]


def _payments(rng: random.Random, s: SubKegiatan, year: int) -> list[dict]:
    realisasi = s.tahun[year].realisasi
    if realisasi == 0:
        return []
    kontra = round(realisasi * rng.uniform(0.004, 0.015) / 1000) * 1000 if s.kode in KONTRA_SUB[year] else 0
    if s.kode == "2.17.01.2.02.0001":
        payments = _salary_payments(rng, s, year, realisasi + kontra)
    else:
        count = min(max(3, 2 + realisasi // 40_000_000), 20)
        months = sorted(rng.choices(range(1, 13), BULAN_BAYAR, k=count))
        days = [_workday(date(year, m, rng.randint(2, 28))) for m in months]
        amounts = _split(realisasi + kontra, [rng.uniform(0.5, 1.5) * (2 if d.month == 12 else 1) for d in days])
        bantuan = (REKENING_BANTUAN,) if s.program in ("2.17.07", "2.17.08") else ()
        accounts = REKENING.get(s.kode, REKENING_KEGIATAN + bantuan)
        payments = []
        for day, amount in zip(days, amounts):
            rekening, uraian = rng.choice(accounts)
            payments.append(_payment(year, s.kode, day, rekening, f"{uraian} {BULAN[day.month - 1]} {year}", amount))
    if kontra:
        paid = payments[len(payments) // 2]
        day = _workday(min(paid["tanggal_sp2d"] + timedelta(days=rng.randint(10, 40)), date(year, 12, 23)))
        payments.append(_payment(year, s.kode, day, paid["kode_rekening"], KONTRA, -kontra))
    return payments


def _payment(year: int, kode: str, day: date, rekening: str, uraian: str, nilai: int) -> dict:
    return {"tahun_anggaran": year, "no_sp2d": None, "tanggal_sp2d": day, "kode_sub_kegiatan": kode,
            "kode_rekening": rekening, "uraian": uraian, "nilai": nilai}


def _realisasi_rows(rng: random.Random) -> dict[date, list[dict]]:
    by_extract: dict[date, list[dict]] = {}
    for year in (2024, 2025):
        payments = sorted((p for s in SUB_KEGIATAN for p in _payments(rng, s, year)),
                          key=lambda p: (p["tanggal_sp2d"], p["kode_sub_kegiatan"], p["nilai"]))
        for seq, p in enumerate(payments, start=1):
            jenis = "CP" if p["nilai"] < 0 else ("LS" if p["nilai"] >= 10_000_000 else "GU")
            p["no_sp2d"] = f"3275/{seq:05d}/{jenis}/DISKOPUKM/{year}"
            by_extract.setdefault(_extract_date(p["tanggal_sp2d"]), []).append(p)
    _correct_payment(by_extract)
    _bad_payments(by_extract)
    return by_extract


def _correct_payment(by_extract: dict[date, list[dict]]) -> None:
    """Correction: a June 2025 payment first extracted with two digits swapped, re-delivered right."""
    paid = next(p for p in by_extract[date(2025, 6, 30)]
                if p["kode_sub_kegiatan"] == "2.17.06.2.01.0001" and str(p["nilai"])[0] != str(p["nilai"])[1])
    digits = str(paid["nilai"])
    by_extract[date(2025, 9, 30)].insert(0, dict(paid))
    paid["nilai"] = int(digits[1] + digits[0] + digits[2:])


def _bad_payments(by_extract: dict[date, list[dict]]) -> None:
    def extra(year, seq, day, kode, rekening, uraian, nilai):
        return dict(_payment(year, kode, day, rekening, uraian, nilai), no_sp2d=f"3275/{seq}/LS/DISKOPUKM/{year}")

    _insert_rejects("realisasi_20241231.csv", by_extract[date(2024, 12, 31)], {"tanggal_sp2d": extra(
        2024, "09001", date(2025, 1, 6), "2.17.01.2.08.0004", "5.1.02.02.01.0061", "Belanja Tagihan Listrik "
        "Desember 2024", 4_850_000)})
    _insert_rejects("realisasi_20250930.csv", by_extract[date(2025, 9, 30)], {"nilai": extra(
        2025, "09002", date(2025, 9, 12), "2.17.04.2.01.0001", "5.1.02.02.01.0003", "Honorarium Narasumber "
        "September 2025", "63.129.00")})
    _insert_rejects("realisasi_20251231.csv", by_extract[date(2025, 12, 31)], {
        "nilai": extra(2025, "09003", date(2025, 11, 20), "2.17.01.2.06.0004", "5.1.02.01.01.0024",
                       "Belanja Alat Tulis Kantor November 2025", "2.56.124.062"),
        "kode_sub_kegiatan": extra(2025, "09004", date(2025, 12, 5), "2.17.08.2.01.0002", "5.1.02.02.01.0003",
                                   "Honorarium Narasumber Desember 2025", 7_500_000)})


# --- Files ----------------------------------------------------------------------------------

TEXT, INTEGER, COUNT, AMOUNT, DECIMAL, DATE = "text", "integer", "count", "amount", "decimal", "date"
COLUMNS = {
    "rat": (("nik", TEXT), ("nama_koperasi", TEXT), ("jenis_koperasi", TEXT), ("kecamatan", TEXT),
            ("kelurahan", TEXT), ("status_koperasi", TEXT), ("tahun_buku", INTEGER), ("tanggal_rat", DATE),
            ("jumlah_anggota", COUNT), ("jumlah_pengurus", COUNT), ("aset", AMOUNT), ("volume_usaha", AMOUNT),
            ("shu", AMOUNT), ("modal_sendiri", AMOUNT), ("modal_luar", AMOUNT)),
    "kegiatan": (("id_kegiatan", TEXT), ("nik", TEXT), ("tanggal", DATE), ("jenis", TEXT), ("hasil", TEXT),
                 ("jumlah_peserta", COUNT), ("kode_sub_kegiatan", TEXT)),
    "umkm": (("id_umkm", TEXT), ("nama_usaha", TEXT), ("nama_pemilik", TEXT), ("nik_pemilik", TEXT),
             ("no_hp", TEXT), ("alamat", TEXT), ("kelurahan", TEXT), ("kecamatan", TEXT), ("sektor_usaha", TEXT),
             ("skb", TEXT), ("tanggal_skb", DATE), ("nib", TEXT), ("tanggal_nib", DATE), ("modal_usaha", AMOUNT),
             ("omzet_tahunan", AMOUNT), ("tenaga_kerja", COUNT), ("informal_pkl", TEXT), ("tdu_pkl", TEXT),
             ("status_usaha", TEXT), ("tanggal_pendataan", DATE)),
    "pembinaan": (("id_pembinaan", TEXT), ("id_umkm", TEXT), ("tanggal", DATE), ("jenis", TEXT),
                  ("kode_sub_kegiatan", TEXT)),
    "anggaran": (("tahun_anggaran", INTEGER), ("tahap", TEXT), ("tanggal_penetapan", DATE),
                 ("kode_sub_kegiatan", TEXT), ("nama_program", TEXT), ("nama_kegiatan", TEXT),
                 ("nama_sub_kegiatan", TEXT), ("pagu", AMOUNT)),
    "realisasi": (("tahun_anggaran", INTEGER), ("no_sp2d", TEXT), ("tanggal_sp2d", DATE),
                  ("kode_sub_kegiatan", TEXT), ("kode_rekening", TEXT), ("uraian", TEXT), ("nilai", AMOUNT)),
    "indikator": (("kode_indikator", TEXT), ("tahun", INTEGER), ("triwulan", INTEGER), ("nilai", DECIMAL),
                  ("sumber", TEXT)),
    # figures as printed, text with the report's own decimals
    "publikasi": (("dokumen", TEXT), ("tanggal_terbit", DATE), ("tabel", TEXT), ("kode", TEXT), ("tahun", INTEGER),
                  ("triwulan", INTEGER), ("nilai", TEXT), ("capaian", TEXT), ("pagu", TEXT), ("realisasi", TEXT),
                  ("serapan", TEXT)),
}
KETERANGAN_COLUMN = (("keterangan", TEXT),)  # extra column of the 2025 kegiatan extracts


def _grouped(value: int | Decimal, decimal_point: str) -> str:
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(abs(Decimal(value)), 1)
    text = f"{int(whole):,}".replace(",", ".")
    return sign + text + (f"{decimal_point}{int(fraction * 100):02d}" if fraction else "")


def _plain_amount(value: int | Decimal) -> str:
    return f"{Decimal(value):f}" if Decimal(value) % 1 else str(int(value))


def _dotted_amount(value: int | Decimal) -> str:
    return _grouped(value, ",")


def _rupiah_amount(value: int | Decimal) -> str:
    text = _grouped(value, ",")
    return f"-Rp {text[1:]}" if text.startswith("-") else f"Rp {text}"


def _rupiah_tight_amount(value: int | Decimal) -> str:
    return _rupiah_amount(value).replace("Rp ", "Rp")


@dataclass(frozen=True)
class CsvStyle:
    """How an operator's export writes text: delimiter, encoding details and value formats."""

    delimiter: str
    bom: bool
    newline: str
    header: Callable[[str], str]
    amount: Callable[[int | Decimal], str]
    day: Callable[[date], str]
    kecamatan: Callable[[str], str]
    decimal_comma: bool
    grouped_counts: bool


PLAIN = CsvStyle(",", False, "\n", str, _plain_amount, date.isoformat, str, False, False)
SIPD = CsvStyle(";", True, "\r\n", lambda c: " ".join(w.capitalize() for w in c.split("_")), _dotted_amount,
                lambda d: d.strftime("%d/%m/%Y"), lambda k: KECAMATAN_SPOKEN.get(k, k), True, True)
RUPIAH = CsvStyle(",", False, "\n", lambda c: c.replace("_", "-"), _rupiah_amount, date.isoformat,
                  lambda k: KECAMATAN_SPOKEN.get(k, k).upper(), False, False)
OPERATOR = CsvStyle(";", True, "\r\n", lambda c: f" {c.replace('_', ' ').upper()} ", _rupiah_tight_amount,
                    lambda d: d.strftime("%d-%m-%Y"), lambda k: k.upper(), True, False)


@dataclass
class Export:
    source: str
    kind: str
    extracted: date
    rows: list[dict]
    form: CsvStyle | str  # a CSV style, or "xlsx" / "ods"
    extra_columns: tuple = ()
    suffix: str = ""

    @property
    def name(self) -> str:
        ext = self.form if isinstance(self.form, str) else "csv"
        suffix = f"_{self.suffix}" if self.suffix else ""
        return f"{self.kind}_{self.extracted:%Y%m%d}{suffix}.{ext}"

    @property
    def columns(self) -> tuple:
        return COLUMNS[self.kind] + self.extra_columns

    def write(self, landing: Path) -> Path:
        path = landing / self.source / self.name
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.form == "xlsx":
            path.write_bytes(_xlsx_bytes(self.kind, self.columns, self.rows))
        elif self.form == "ods":
            path.write_bytes(_ods_bytes(self.kind, self.columns, self.rows))
        else:
            path.write_bytes(_csv_bytes(self.columns, self.rows, self.form))
        return path


def _csv_format(name: str, kind: str, style: CsvStyle) -> Callable[[object], str]:
    if name == "kecamatan":
        return style.kecamatan
    form = {AMOUNT: style.amount, DATE: style.day,
            DECIMAL: (lambda v: str(v).replace(".", ",")) if style.decimal_comma else str,
            COUNT: (lambda v: _grouped(v, ",")) if style.grouped_counts else str}.get(kind, str)
    # A str in a typed column is a deliberately bad value, written as delivered.
    return form if kind == TEXT else lambda v: v if isinstance(v, str) else form(v)


def _csv_bytes(columns: tuple, rows: list[dict], style: CsvStyle) -> bytes:
    formats = [(name, _csv_format(name, kind, style)) for name, kind in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=style.delimiter, lineterminator=style.newline)
    writer.writerow([style.header(name) for name, _ in columns])
    for row in rows:
        writer.writerow(["" if (value := row.get(name)) is None else form(value) for name, form in formats])
    return (codecs.BOM_UTF8 if style.bom else b"") + buffer.getvalue().encode("utf-8")


def _sheet_cell(value):
    return float(value) if isinstance(value, Decimal) else value


# Zip entries and document properties carry this instead of the wall clock.
FIXED_TIME = datetime(2026, 1, 1)


def _pinned_zip(data: bytes) -> bytes:
    """Rewrites a zip (xlsx, ods) with fixed entry times, keeping entry order and compression."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            pinned = zipfile.ZipInfo(entry.filename, FIXED_TIME.timetuple()[:6])
            pinned.compress_type = entry.compress_type
            pinned.external_attr = entry.external_attr
            target.writestr(pinned, source.read(entry.filename))
    return out.getvalue()


def _xlsx_bytes(kind: str, columns: tuple, rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind
    sheet.append([name for name, _ in columns])
    for row in rows:
        sheet.append([_sheet_cell(row.get(name)) for name, _ in columns])
    for index, (_, column_kind) in enumerate(columns, start=1):
        if column_kind == DATE:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "DD/MM/YYYY"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()  # save_workbook() would stamp the current time
    return _pinned_zip(buffer.getvalue())


def _ods_bytes(kind: str, columns: tuple, rows: list[dict]) -> bytes:
    frame = pd.DataFrame([[_sheet_cell(row.get(name)) for name, _ in columns] for row in rows],
                         columns=[name for name, _ in columns], dtype=object)
    # odfpy declares in each document every namespace its elements have used in this process so
    # far (a class-level registry): start from an empty registry to write the same bytes each time.
    OdfElement.namespaces.clear()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="odf") as writer:
        frame.to_excel(writer, sheet_name=kind, index=False)
    return _pinned_zip(buffer.getvalue())


def _insert_rejects(file_name: str, rows: list[dict], bad_rows: dict[str, dict]) -> None:
    """Puts the bad row of each EXPECTED_REJECTS entry of `file_name` at its row number."""
    for reject in sorted((r for r in EXPECTED_REJECTS if r.file == file_name), key=lambda r: r.row):
        rows.insert(reject.row - 2, bad_rows[reject.column])


def _by_extract(rows: Iterable[dict], day_column: str) -> dict[date, list[dict]]:
    by_extract: dict[date, list[dict]] = {}
    for row in rows:
        by_extract.setdefault(_extract_date(row[day_column]), []).append(row)
    return by_extract


def _quarterly(source: str, kind: str, by_extract: dict[date, list[dict]], forms: dict[date, CsvStyle | str],
               extra_columns: Callable[[date], tuple] = lambda _: ()) -> list[Export]:
    return [Export(source, kind, day, by_extract[day], forms[day], extra_columns(day)) for day in sorted(by_extract)]


Q = {(y, q): _akhir_triwulan(date(y, 3 * q, 1)) for y in (2024, 2025) for q in (1, 2, 3, 4)}
BACKLOG = date(2023, 12, 31)


def _ods_exports(rng: random.Random, koperasi: list[Koperasi]) -> list[Export]:
    rat = _rat_exports(rng, koperasi)
    rat_forms = {BACKLOG: PLAIN, Q[2024, 1]: SIPD, Q[2024, 2]: RUPIAH, Q[2024, 3]: OPERATOR, Q[2024, 4]: PLAIN,
                 Q[2025, 1]: "xlsx", Q[2025, 2]: SIPD, Q[2025, 3]: RUPIAH, Q[2025, 4]: OPERATOR}
    kegiatan_rows = _kegiatan(rng, koperasi)
    kegiatan = _by_extract(kegiatan_rows, "tanggal")
    _insert_rejects("kegiatan_20250930.csv", kegiatan[Q[2025, 3]],
                    {"hasil": _bad_kegiatan_row(rng, koperasi, kegiatan_rows)})
    kegiatan_forms = {Q[2024, 1]: PLAIN, Q[2024, 2]: OPERATOR, Q[2024, 3]: PLAIN, Q[2024, 4]: SIPD,
                      Q[2025, 1]: RUPIAH, Q[2025, 2]: "ods", Q[2025, 3]: PLAIN, Q[2025, 4]: SIPD}
    return (_quarterly("ods", "rat", rat, rat_forms)
            + _quarterly("ods", "kegiatan", kegiatan, kegiatan_forms,
                         lambda day: KETERANGAN_COLUMN if day.year == 2025 else ()))


def _sip3_exports(rng: random.Random) -> list[Export]:
    usaha = Sip3(rng).build()
    umkm = _umkm_rows(usaha)
    pembinaan_rows = _pembinaan_rows(rng, usaha)
    pembinaan = _by_extract(pembinaan_rows, "tanggal")
    _insert_rejects("pembinaan_20250630.csv", pembinaan[Q[2025, 2]],
                    {"jenis": _bad_pembinaan_row(pembinaan_rows, usaha)})
    umkm_forms = {BACKLOG: PLAIN, Q[2024, 1]: SIPD, Q[2024, 2]: PLAIN, Q[2024, 3]: RUPIAH, Q[2024, 4]: OPERATOR,
                  Q[2025, 1]: PLAIN, Q[2025, 2]: SIPD, Q[2025, 3]: PLAIN, Q[2025, 4]: RUPIAH}
    pembinaan_forms = {BACKLOG: SIPD, Q[2024, 1]: PLAIN, Q[2024, 2]: PLAIN, Q[2024, 3]: SIPD, Q[2024, 4]: PLAIN,
                       Q[2025, 1]: OPERATOR, Q[2025, 2]: PLAIN, Q[2025, 3]: SIPD, Q[2025, 4]: RUPIAH}
    return _quarterly("sip3", "umkm", umkm, umkm_forms) + _quarterly("sip3", "pembinaan", pembinaan, pembinaan_forms)


def _ledger_exports(rng: random.Random) -> list[Export]:
    anggaran_forms = {date(2024, 1, 2): SIPD, date(2024, 10, 1): SIPD, date(2025, 1, 2): RUPIAH,
                      date(2025, 9, 26): "xlsx"}
    anggaran = [Export("ledger", "anggaran", tanggal, _anggaran_rows(year, tahap, tanggal), anggaran_forms[tanggal],
                       suffix="perubahan" if tahap == "PERUBAHAN" else "")
                for year, tahap, tanggal in BUDGET_VERSIONS]
    realisasi_forms = {Q[2024, 1]: PLAIN, Q[2024, 2]: SIPD, Q[2024, 3]: PLAIN, Q[2024, 4]: OPERATOR,
                       Q[2025, 1]: SIPD, Q[2025, 2]: PLAIN, Q[2025, 3]: RUPIAH, Q[2025, 4]: SIPD}
    return anggaran + _quarterly("ledger", "realisasi", _realisasi_rows(rng), realisasi_forms)


def _manual_exports() -> list[Export]:
    by_extract: dict[date, list[dict]] = {}
    for extracted, kode, tahun, triwulan, nilai, sumber in MANUAL_INDICATORS:
        by_extract.setdefault(extracted, []).append(
            {"kode_indikator": kode, "tahun": tahun, "triwulan": triwulan, "nilai": nilai, "sumber": sumber})
    forms = {date(2024, 7, 15): PLAIN, date(2024, 12, 31): SIPD, date(2025, 7, 15): PLAIN, date(2025, 12, 31): OPERATOR}
    return _quarterly("manual", "indikator", by_extract, forms) + [Export(
        "manual", "publikasi", LKIP_2025_ISSUED, [
            dict(zip(("tabel", "kode", "nilai", "capaian", "pagu", "realisasi", "serapan"), printed),
                 dokumen="LKIP 2025", tanggal_terbit=LKIP_2025_ISSUED, tahun=2025, triwulan=4)
            for printed in LKIP_2025_AS_PRINTED], PLAIN, suffix="lkip2025")]


SEED = 20251231


def write_sample_exports(landing: Path) -> list[Path]:
    """Writes the exports under landing/<source>/<kind>_<YYYYMMDD>[_<text>].<ext> and returns their paths."""
    landing = Path(landing)
    koperasi = _koperasi(random.Random(f"{SEED}-koperasi"))
    exports = (_ods_exports(random.Random(f"{SEED}-ods"), koperasi)
               + _sip3_exports(random.Random(f"{SEED}-sip3"))
               + _ledger_exports(random.Random(f"{SEED}-ledger"))
               + _manual_exports())
    return [export.write(landing) for export in exports]
