from django.db import models


class CaseStatus(models.TextChoices):
    OPEN = "open", "Dibuka"
    PROVEN = "proven", "Manipulasi terbukti"
    DISMISSED = "dismissed", "Tidak terbukti"
