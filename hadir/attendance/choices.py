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


class CheckInStatus(models.TextChoices):
    """The answer given at once to a check-in from the employee app."""

    ACCEPTED = "accepted", "Diterima"
    PENDING_REVIEW = "pending_review", "Menunggu pemeriksaan"
    REJECTED = "rejected", "Ditolak"


class ReviewStatus(models.TextChoices):
    """The atasan's decision on a check-in (issue 5's queue)."""

    UNREVIEWED = "unreviewed", "Belum diperiksa"
    APPROVED = "approved", "Disetujui"
    REJECTED = "rejected", "Ditolak"


class Instruction(models.TextChoices):
    """The liveness challenge shown while the frames are taken."""

    BLINK = "blink", "Kedipkan mata"
    TURN_LEFT = "turn_left", "Tolehkan kepala ke kiri"
    TURN_RIGHT = "turn_right", "Tolehkan kepala ke kanan"
