from django.db import models


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "Menunggu persetujuan"
    APPROVED = "approved", "Disetujui"
    REJECTED = "rejected", "Ditolak"
