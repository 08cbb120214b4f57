from django.db import models


class EventSource(models.TextChoices):
    MOBILE = "mobile", "Aplikasi"
    MACHINE = "machine", "Mesin sidik jari"
    OPERATOR = "operator", "Operator"
    IMPORT = "import", "Impor"


class DayStatus(models.TextChoices):
    PRESENT = "present", "Hadir"
    ABSENT = "absent", "Tanpa keterangan (TK)"
    LEAVE = "leave", "Cuti / izin / dinas"
    HOLIDAY = "holiday", "Libur"
    OFF = "off", "Bukan hari kerja"
