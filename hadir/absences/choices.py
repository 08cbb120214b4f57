from django.db import models


class AbsenceType(models.TextChoices):
    CUTI_TAHUNAN = "cuti_tahunan", "Cuti tahunan"
    CUTI_SAKIT = "cuti_sakit", "Cuti sakit"
    CUTI_BESAR = "cuti_besar", "Cuti besar"
    CUTI_MELAHIRKAN = "cuti_melahirkan", "Cuti melahirkan"
    CUTI_ALASAN_PENTING = "cuti_alasan_penting", "Cuti karena alasan penting"
    CLTN = "cltn", "Cuti di luar tanggungan negara"
    IZIN = "izin", "Izin"
    SAKIT = "sakit", "Sakit"
    DINAS_LUAR = "dinas_luar", "Dinas luar"
    PERJALANAN_DINAS = "perjalanan_dinas", "Perjalanan dinas (SPT)"
    TUGAS_BELAJAR = "tugas_belajar", "Tugas belajar"


class AbsenceStatus(models.TextChoices):
    PENDING = "pending", "Menunggu"
    APPROVED = "approved", "Disetujui"
    REJECTED = "rejected", "Ditolak"


class AbsenceChannel(models.TextChoices):
    """Where an absence came from: the employee's app, an operator on the web, or an import."""

    APP = "app", "Aplikasi pegawai"
    OPERATOR = "operator", "Operator"
    IMPORT = "import", "Impor"
