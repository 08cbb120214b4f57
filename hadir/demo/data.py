"""Fixed data of the demo region, Kabupaten Kutai Timur: units, names, positions, the calendar.

Place names are real places of Kutai Timur; the office coordinates are approximate (within a
few hundred metres of the towns, not surveyed), as are the school names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

REGION_CODE = "6408"
REGION_NAME = "Kabupaten Kutai Timur"
TIMEZONE = "Asia/Makassar"
RADIUS_M = 150
EMAIL_DOMAIN = "kutaitimurkab.go.id"


class UnitKind(StrEnum):
    OPD = "opd"  # a top unit under the region
    SUB = "sub"  # Sekretariat, Bidang, Bagian, Kelurahan
    SCHOOL = "school"
    HOSPITAL = "hospital"  # RSUD and its sub-units: fingerprint machines, nurses on a roster
    PUSKESMAS = "puskesmas"


@dataclass(frozen=True)
class UnitSpec:
    key: str  # short, stable: the BKN-style Id is derived from it
    name: str
    parent: str  # key of the parent; "" for an OPD
    kind: str
    head: tuple[str, int]  # jabatan of the unit head and its kelas jabatan
    abbr: str  # used in letter numbers (SPT, cuti)
    site: tuple[float, float] | None = None  # None: the parent's site
    weight: int = 0  # share of the staff placed here (nurses and teachers come on top)

    @property
    def code(self) -> str:
        """A BKN-style unor Id: 32 upper-case hex digits, stable for the key."""
        return hashlib.sha256(f"kutim-unor:{self.key}".encode()).hexdigest()[:32].upper()


# Sangatta, the regency seat: the offices of the Bukit Pelangi government complex and the town.
SANGATTA = (0.5105, 117.5530)


def _near(dlat: float, dlon: float, base: tuple[float, float] = SANGATTA) -> tuple[float, float]:
    return (round(base[0] + dlat, 6), round(base[1] + dlon, 6))


BENGALON = (0.7870, 117.7560)
SANGKULIRANG = (1.0060, 117.9890)
MUARA_WAHAU = (1.0380, 116.8610)

# fmt: off
UNITS: tuple[UnitSpec, ...] = (
    # Sekretariat Daerah
    UnitSpec("SETDA", "Sekretariat Daerah", "", UnitKind.OPD, ("Sekretaris Daerah", 15), "SETDA",
             _near(0.0, 0.0)),
    UnitSpec("SETDA-UMUM", "Bagian Umum", "SETDA", UnitKind.SUB, ("Kepala Bagian Umum", 12),
             "SETDA", weight=4),
    UnitSpec("SETDA-ORG", "Bagian Organisasi", "SETDA", UnitKind.SUB,
             ("Kepala Bagian Organisasi", 12), "SETDA", weight=2),
    UnitSpec("SETDA-HUKUM", "Bagian Hukum", "SETDA", UnitKind.SUB, ("Kepala Bagian Hukum", 12),
             "SETDA", weight=2),
    # Inspektorat
    UnitSpec("INSP", "Inspektorat Daerah", "", UnitKind.OPD, ("Inspektur", 14), "INSP",
             _near(0.0012, 0.0018)),
    UnitSpec("INSP-SEK", "Sekretariat Inspektorat", "INSP", UnitKind.SUB,
             ("Sekretaris Inspektorat", 12), "INSP", weight=2),
    UnitSpec("INSP-IRBAN1", "Inspektur Pembantu Wilayah I", "INSP", UnitKind.SUB,
             ("Inspektur Pembantu Wilayah I", 12), "INSP", weight=3),
    # BKPSDM
    UnitSpec("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "", UnitKind.OPD,
             ("Kepala Badan Kepegawaian dan Pengembangan SDM", 14), "BKPSDM",
             _near(-0.0010, 0.0021)),
    UnitSpec("BKPSDM-SEK", "Sekretariat BKPSDM", "BKPSDM", UnitKind.SUB, ("Sekretaris Badan", 12),
             "BKPSDM", weight=2),
    UnitSpec("BKPSDM-MUTASI", "Bidang Mutasi dan Promosi", "BKPSDM", UnitKind.SUB,
             ("Kepala Bidang Mutasi dan Promosi", 12), "BKPSDM", weight=3),
    UnitSpec("BKPSDM-BANGKOM", "Bidang Pengembangan Kompetensi Aparatur", "BKPSDM", UnitKind.SUB,
             ("Kepala Bidang Pengembangan Kompetensi Aparatur", 12), "BKPSDM", weight=2),
    # Bappeda
    UnitSpec("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "", UnitKind.OPD,
             ("Kepala Badan Perencanaan Pembangunan Daerah", 14), "BAPPEDA",
             _near(0.0020, -0.0011)),
    UnitSpec("BAPPEDA-SEK", "Sekretariat Bappeda", "BAPPEDA", UnitKind.SUB,
             ("Sekretaris Badan", 12), "BAPPEDA", weight=2),
    UnitSpec("BAPPEDA-INFRA", "Bidang Perencanaan Infrastruktur dan Kewilayahan", "BAPPEDA",
             UnitKind.SUB, ("Kepala Bidang Perencanaan Infrastruktur dan Kewilayahan", 12),
             "BAPPEDA", weight=2),
    # BPKAD
    UnitSpec("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "", UnitKind.OPD,
             ("Kepala Badan Pengelolaan Keuangan dan Aset Daerah", 14), "BPKAD",
             _near(-0.0018, -0.0009)),
    UnitSpec("BPKAD-SEK", "Sekretariat BPKAD", "BPKAD", UnitKind.SUB, ("Sekretaris Badan", 12),
             "BPKAD", weight=2),
    UnitSpec("BPKAD-ANGGARAN", "Bidang Anggaran", "BPKAD", UnitKind.SUB,
             ("Kepala Bidang Anggaran", 12), "BPKAD", weight=3),
    UnitSpec("BPKAD-PERBEND", "Bidang Perbendaharaan", "BPKAD", UnitKind.SUB,
             ("Kepala Bidang Perbendaharaan", 12), "BPKAD", weight=3),
    # Dinas Pendidikan dan Kebudayaan, with three schools
    UnitSpec("DISDIK", "Dinas Pendidikan dan Kebudayaan", "", UnitKind.OPD,
             ("Kepala Dinas Pendidikan dan Kebudayaan", 14), "DISDIKBUD", _near(0.0031, 0.0007)),
    UnitSpec("DISDIK-SEK", "Sekretariat Dinas Pendidikan dan Kebudayaan", "DISDIK", UnitKind.SUB,
             ("Sekretaris Dinas", 12), "DISDIKBUD", weight=2),
    UnitSpec("DISDIK-SD", "Bidang Pembinaan Sekolah Dasar", "DISDIK", UnitKind.SUB,
             ("Kepala Bidang Pembinaan Sekolah Dasar", 12), "DISDIKBUD", weight=2),
    UnitSpec("DISDIK-SMP", "Bidang Pembinaan Sekolah Menengah Pertama", "DISDIK", UnitKind.SUB,
             ("Kepala Bidang Pembinaan Sekolah Menengah Pertama", 12), "DISDIKBUD", weight=2),
    UnitSpec("SDN001-SGU", "SD Negeri 001 Sangatta Utara", "DISDIK", UnitKind.SCHOOL,
             ("Kepala Sekolah", 9), "SDN001", _near(-0.0165, -0.0240)),
    UnitSpec("SMPN1-SGU", "SMP Negeri 1 Sangatta Utara", "DISDIK", UnitKind.SCHOOL,
             ("Kepala Sekolah", 9), "SMPN1", _near(-0.0121, -0.0192)),
    UnitSpec("SDN003-MWH", "SD Negeri 003 Muara Wahau", "DISDIK", UnitKind.SCHOOL,
             ("Kepala Sekolah", 9), "SDN003", MUARA_WAHAU),
    # Dinas Kesehatan, with RSUD Kudungga and two puskesmas
    UnitSpec("DINKES", "Dinas Kesehatan", "", UnitKind.OPD, ("Kepala Dinas Kesehatan", 14),
             "DINKES", _near(0.0026, 0.0035)),
    UnitSpec("DINKES-SEK", "Sekretariat Dinas Kesehatan", "DINKES", UnitKind.SUB,
             ("Sekretaris Dinas", 12), "DINKES", weight=3),
    UnitSpec("DINKES-YANKES", "Bidang Pelayanan Kesehatan", "DINKES", UnitKind.SUB,
             ("Kepala Bidang Pelayanan Kesehatan", 12), "DINKES", weight=2),
    UnitSpec("DINKES-P2P", "Bidang Pencegahan dan Pengendalian Penyakit", "DINKES", UnitKind.SUB,
             ("Kepala Bidang Pencegahan dan Pengendalian Penyakit", 12), "DINKES", weight=2),
    UnitSpec("RSUD", "RSUD Kudungga", "DINKES", UnitKind.HOSPITAL,
             ("Direktur RSUD Kudungga", 13), "RSUD", _near(-0.0210, -0.0150)),
    UnitSpec("RSUD-TU", "Bagian Tata Usaha RSUD Kudungga", "RSUD", UnitKind.HOSPITAL,
             ("Kepala Bagian Tata Usaha", 9), "RSUD", weight=3),
    UnitSpec("RSUD-KEP", "Bidang Keperawatan RSUD Kudungga", "RSUD", UnitKind.HOSPITAL,
             ("Kepala Bidang Keperawatan", 9), "RSUD"),
    UnitSpec("PKM-BENGALON", "UPT Puskesmas Bengalon", "DINKES", UnitKind.PUSKESMAS,
             ("Kepala Puskesmas", 9), "PKM-BGL", BENGALON, weight=3),
    UnitSpec("PKM-SANGKULIRANG", "UPT Puskesmas Sangkulirang", "DINKES", UnitKind.PUSKESMAS,
             ("Kepala Puskesmas", 9), "PKM-SKR", SANGKULIRANG, weight=3),
    # Dinas PUPR
    UnitSpec("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "", UnitKind.OPD,
             ("Kepala Dinas Pekerjaan Umum dan Penataan Ruang", 14), "PUPR",
             _near(0.0040, -0.0030)),
    UnitSpec("PUPR-SEK", "Sekretariat Dinas PUPR", "PUPR", UnitKind.SUB, ("Sekretaris Dinas", 12),
             "PUPR", weight=2),
    UnitSpec("PUPR-BM", "Bidang Bina Marga", "PUPR", UnitKind.SUB,
             ("Kepala Bidang Bina Marga", 12), "PUPR", weight=3),
    UnitSpec("PUPR-SDA", "Bidang Sumber Daya Air", "PUPR", UnitKind.SUB,
             ("Kepala Bidang Sumber Daya Air", 12), "PUPR", weight=2),
    # Dinas Perhubungan
    UnitSpec("DISHUB", "Dinas Perhubungan", "", UnitKind.OPD, ("Kepala Dinas Perhubungan", 14),
             "DISHUB", _near(-0.0034, 0.0044)),
    UnitSpec("DISHUB-SEK", "Sekretariat Dinas Perhubungan", "DISHUB", UnitKind.SUB,
             ("Sekretaris Dinas", 12), "DISHUB", weight=2),
    UnitSpec("DISHUB-LLAJ", "Bidang Lalu Lintas dan Angkutan Jalan", "DISHUB", UnitKind.SUB,
             ("Kepala Bidang Lalu Lintas dan Angkutan Jalan", 12), "DISHUB", weight=3),
    # Satpol PP
    UnitSpec("SATPOLPP", "Satuan Polisi Pamong Praja", "", UnitKind.OPD,
             ("Kepala Satuan Polisi Pamong Praja", 14), "SATPOLPP", _near(-0.0046, -0.0038)),
    UnitSpec("SATPOLPP-SEK", "Sekretariat Satpol PP", "SATPOLPP", UnitKind.SUB,
             ("Sekretaris Satuan", 12), "SATPOLPP", weight=2),
    UnitSpec("SATPOLPP-GAKDA", "Bidang Penegakan Peraturan Daerah", "SATPOLPP", UnitKind.SUB,
             ("Kepala Bidang Penegakan Peraturan Daerah", 12), "SATPOLPP", weight=5),
    # Kecamatan Sangatta Utara, with two kelurahan
    UnitSpec("KEC-SGU", "Kecamatan Sangatta Utara", "", UnitKind.OPD,
             ("Camat Sangatta Utara", 12), "KEC-SGU", _near(-0.0190, -0.0280)),
    UnitSpec("KEC-SGU-SEK", "Sekretariat Kecamatan Sangatta Utara", "KEC-SGU", UnitKind.SUB,
             ("Sekretaris Kecamatan", 9), "KEC-SGU", weight=2),
    UnitSpec("KEL-TELUKLINGGA", "Kelurahan Teluk Lingga", "KEC-SGU", UnitKind.SUB,
             ("Lurah Teluk Lingga", 9), "KEL-TL", _near(-0.0290, -0.0120), weight=2),
    UnitSpec("KEL-SINGAGEMBARA", "Kelurahan Singa Gembara", "KEC-SGU", UnitKind.SUB,
             ("Lurah Singa Gembara", 9), "KEL-SG", _near(-0.0080, -0.0370), weight=2),
    # Kecamatan Sangatta Selatan
    UnitSpec("KEC-SGS", "Kecamatan Sangatta Selatan", "", UnitKind.OPD,
             ("Camat Sangatta Selatan", 12), "KEC-SGS", _near(-0.0560, -0.0410)),
    UnitSpec("KEC-SGS-SEK", "Sekretariat Kecamatan Sangatta Selatan", "KEC-SGS", UnitKind.SUB,
             ("Sekretaris Kecamatan", 9), "KEC-SGS", weight=2),
    UnitSpec("KEC-SGS-PEM", "Seksi Pemerintahan Kecamatan Sangatta Selatan", "KEC-SGS",
             UnitKind.SUB, ("Kepala Seksi Pemerintahan", 9), "KEC-SGS", weight=1),
)
# fmt: on

UNITS_BY_KEY = {u.key: u for u in UNITS}
HEALTH_OPD = "DINKES"
NURSE_UNIT = "RSUD-KEP"
OPERATOR_UNIT = "DINKES-SEK"  # the operator kepegawaian sits in the Dinas Kesehatan's Sekretariat

# Staff positions (jabatan, kelas jabatan) by unit key prefix; the first matching prefix wins.
POSITIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "INSP": (
        ("Auditor Ahli Muda", 9),
        ("Auditor Ahli Pertama", 8),
        ("Pengawas Penyelenggaraan Urusan Pemerintahan Daerah Ahli Pertama", 8),
    ),
    "BKPSDM": (
        ("Analis Sumber Daya Manusia Aparatur Ahli Muda", 9),
        ("Analis Sumber Daya Manusia Aparatur Ahli Pertama", 8),
        ("Pranata Komputer Ahli Pertama", 8),
    ),
    "BAPPEDA": (("Perencana Ahli Muda", 9), ("Perencana Ahli Pertama", 8)),
    "BPKAD": (
        ("Analis Keuangan Pusat dan Daerah Ahli Muda", 9),
        ("Analis Keuangan Pusat dan Daerah Ahli Pertama", 8),
        ("Penata Kelola Barang Milik Daerah", 7),
    ),
    "PKM": (
        ("Dokter Ahli Pertama", 8),
        ("Bidan Terampil", 6),
        ("Perawat Terampil", 6),
        ("Sanitarian Terampil", 6),
        ("Nutrisionis Terampil", 6),
    ),
    "RSUD": (
        ("Dokter Ahli Pertama", 8),
        ("Apoteker Ahli Pertama", 8),
        ("Perekam Medis Terampil", 6),
    ),
    "DINKES": (
        ("Epidemiolog Kesehatan Ahli Pertama", 8),
        ("Administrator Kesehatan Ahli Pertama", 8),
    ),
    "PUPR": (
        ("Teknik Jalan dan Jembatan Ahli Pertama", 8),
        ("Teknik Pengairan Ahli Pertama", 8),
        ("Pengawas Jalan dan Jembatan", 7),
    ),
    "DISHUB": (("Penguji Kendaraan Bermotor Terampil", 6), ("Pengelola Perhubungan", 7)),
    "SATPOLPP": (
        ("Polisi Pamong Praja Ahli Pertama", 8),
        ("Polisi Pamong Praja Terampil", 6),
        ("Polisi Pamong Praja Pemula", 5),
    ),
    "": (
        ("Analis Kebijakan Ahli Muda", 9),
        ("Analis Kebijakan Ahli Pertama", 8),
        ("Penata Layanan Operasional", 7),
        ("Pengolah Data dan Informasi", 6),
        ("Pengadministrasi Perkantoran", 5),
        ("Operator Layanan Operasional", 5),
    ),
}
NURSE_POSITIONS = (("Perawat Ahli Pertama", 8), ("Perawat Terampil", 6), ("Perawat Ahli Muda", 9))
TEACHER_POSITIONS = (("Guru Ahli Pertama", 8), ("Guru Ahli Muda", 9))
NONASN_POSITIONS = (
    ("Tenaga Administrasi", 1),
    ("Pengemudi", 1),
    ("Petugas Kebersihan", 1),
    ("Petugas Keamanan", 1),
    ("Tenaga Teknis", 3),
)
NONASN_NURSE = ("Tenaga Perawat Kontrak", 3)
NONASN_TEACHER = ("Guru Honorer", 3)


def tpp_base(kelas: int) -> int:
    """Monthly TPP base (rupiah) of a kelas jabatan: 1.5 million at class 1 to 12 at class 15."""
    return 1_500_000 + (kelas - 1) * 750_000


# fmt: off
# Names: a Kalimantan mix of Kutai, Banjar, Bugis, Javanese, Dayak and Toraja names.
MALE_NAMES = (
    "Muhammad", "Ahmad", "Rahmat", "Syahrani", "Awang", "Aji", "Hendra", "Budi", "Agus",
    "Bambang", "Slamet", "Sugeng", "Yusuf", "Hasanuddin", "Arifin", "Darmawan", "Irwan",
    "Junaidi", "Rusdi", "Fadli", "Syamsul", "Taufik", "Wahyu", "Yudi", "Zainal", "Herman",
    "Ardiansyah", "Firmansyah", "Muhammad Rizky", "Akhmad", "Abdul Rahman", "Suriansyah",
    "Yohanes", "Stefanus", "Markus", "Daud", "Ismail", "Ilham", "Andi Muhammad", "Kaharuddin",
)
FEMALE_NAMES = (
    "Siti", "Nur", "Rahmawati", "Dewi", "Sri", "Fitri", "Halimah", "Nurul", "Aisyah", "Rini",
    "Yuliana", "Wulandari", "Hasnah", "Andi Nurhayati", "Masitah", "Rusmini", "Normala",
    "Noorhayati", "Jumiati", "Fatimah", "Hairani", "Lestari", "Puspita", "Mariana", "Theresia",
    "Yohana", "Kartini", "Erna", "Ratna", "Indah", "Nor Aini", "Rabiatul", "Sitti", "Marlina",
)
FAMILY_NAMES = (
    "Syamsuddin", "Hamzah", "Rahman", "Anshari", "Rasyid", "Noor", "Santoso", "Wibowo", "Susanto",
    "Prasetyo", "Purnomo", "Hidayat", "Setiawan", "Saputra", "Hakim", "Mappasessu", "Pasande",
    "Tandilino", "Baharuddin", "Sulaiman", "Effendi", "Nasution", "Pratama", "Kurniawan",
    "Halim", "Gani", "Mahmud", "Husain", "Lung", "Irawan", "Mustafa", "Yasin", "Jafar",
    "Ramadhani", "Maulana", "Wijaya", "Aminullah", "Fauzi", "Hanafi",
)
CHRISTIAN_NAMES = frozenset({"Yohanes", "Stefanus", "Markus", "Theresia", "Yohana", "Mariana"})
DEGREES = ("S.Sos.", "S.E.", "S.H.", "S.T.", "S.Kom.", "S.AP.", "S.IP.")
HEAD_DEGREES = ("M.Si.", "M.M.", "M.AP.", "M.T.", "M.H.")
NURSE_DEGREES = ("S.Kep., Ners", "A.Md.Kep.")
TEACHER_DEGREES = ("S.Pd.", "S.Pd.I.", "S.Pd.SD")
PHONE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0856", "0878")
# fmt: on


@dataclass(frozen=True)
class Holiday:
    day: date
    kind: str  # national_holiday | cuti_bersama | regional_holiday
    name: str


# Hari libur nasional and cuti bersama 2026 as set by the SKB 3 Menteri of 2025 (17 holidays,
# 8 cuti bersama), written here from memory of the decree. Uncertain: the Islamic dates are the
# government's estimates at signing (the Idul Fitri date is fixed by the sidang isbat later;
# Muhammadiyah computed 1 Syawal 1447 H as 20 March); check the decree before relying on them.
HOLIDAYS_2026: tuple[Holiday, ...] = (
    Holiday(date(2026, 1, 1), "national_holiday", "Tahun Baru 2026 Masehi"),
    Holiday(date(2026, 1, 16), "national_holiday", "Isra Mikraj Nabi Muhammad SAW"),
    Holiday(date(2026, 2, 16), "cuti_bersama", "Cuti bersama Tahun Baru Imlek"),
    Holiday(date(2026, 2, 17), "national_holiday", "Tahun Baru Imlek 2577 Kongzili"),
    Holiday(date(2026, 3, 18), "cuti_bersama", "Cuti bersama Hari Suci Nyepi"),
    Holiday(date(2026, 3, 19), "national_holiday", "Hari Suci Nyepi Tahun Baru Saka 1948"),
    Holiday(date(2026, 3, 20), "cuti_bersama", "Cuti bersama Idul Fitri 1447 H"),
    Holiday(date(2026, 3, 21), "national_holiday", "Hari Raya Idul Fitri 1447 H"),
    Holiday(date(2026, 3, 22), "national_holiday", "Hari Raya Idul Fitri 1447 H (hari kedua)"),
    Holiday(date(2026, 3, 23), "cuti_bersama", "Cuti bersama Idul Fitri 1447 H"),
    Holiday(date(2026, 3, 24), "cuti_bersama", "Cuti bersama Idul Fitri 1447 H"),
    Holiday(date(2026, 4, 3), "national_holiday", "Wafat Yesus Kristus"),
    Holiday(date(2026, 4, 5), "national_holiday", "Kebangkitan Yesus Kristus (Paskah)"),
    Holiday(date(2026, 5, 1), "national_holiday", "Hari Buruh Internasional"),
    Holiday(date(2026, 5, 14), "national_holiday", "Kenaikan Yesus Kristus"),
    Holiday(date(2026, 5, 15), "cuti_bersama", "Cuti bersama Kenaikan Yesus Kristus"),
    Holiday(date(2026, 5, 27), "national_holiday", "Hari Raya Idul Adha 1447 H"),
    Holiday(date(2026, 5, 28), "cuti_bersama", "Cuti bersama Idul Adha 1447 H"),
    Holiday(date(2026, 5, 31), "national_holiday", "Hari Raya Waisak 2570 BE"),
    Holiday(date(2026, 6, 1), "national_holiday", "Hari Lahir Pancasila"),
    Holiday(date(2026, 6, 16), "national_holiday", "Tahun Baru Islam 1448 H"),
    Holiday(date(2026, 8, 17), "national_holiday", "Hari Kemerdekaan Republik Indonesia"),
    Holiday(date(2026, 8, 25), "national_holiday", "Maulid Nabi Muhammad SAW"),
    Holiday(date(2026, 10, 12), "regional_holiday", "Hari Jadi Kabupaten Kutai Timur ke-27"),
    Holiday(date(2026, 12, 24), "cuti_bersama", "Cuti bersama Hari Raya Natal"),
    Holiday(date(2026, 12, 25), "national_holiday", "Hari Raya Natal"),
)

# Ramadan 1447 H: 1 Ramadan on 19 February 2026 (the government's estimate; Muhammadiyah: 18
# February) up to the day before 1 Syawal.
RAMADAN_1447 = (date(2026, 2, 19), date(2026, 3, 20))


def ramadan_days() -> list[date]:
    first, last = RAMADAN_1447
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
