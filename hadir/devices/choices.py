from django.db import models


class CommandStatus(models.TextChoices):
    QUEUED = "queued", "Antre"
    SENT = "sent", "Terkirim ke mesin"
    DONE = "done", "Selesai"
    FAILED = "failed", "Gagal"


class CommandKind(models.TextChoices):
    USER_UPDATE = "user_update", "Kirim pegawai"
    USER_DELETE = "user_delete", "Hapus pegawai"
    LOG_QUERY = "log_query", "Minta ulang log"
    REBOOT = "reboot", "Restart"


class AlertKind(models.TextChoices):
    SILENT = "silent", "Tidak ada kontak"
    CLOCK_SKEW = "clock_skew", "Jam mesin menyimpang"


class RecordTable(models.TextChoices):
    OPERLOG = "OPERLOG", "OPERLOG"
    ATTPHOTO = "ATTPHOTO", "ATTPHOTO"
    OPTIONS = "options", "options"
    OTHER = "other", "lainnya"


class DeviceStatus(models.TextChoices):
    """A phone or browser bound to an employee (the employee app's key pair)."""

    PENDING = "pending", "Menunggu persetujuan"
    ACTIVE = "active", "Aktif"
    RETIRED = "retired", "Diganti"
    REVOKED = "revoked", "Dicabut"
