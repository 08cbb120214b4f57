from django.db import models


class EmployeeKind(models.TextChoices):
    PNS = "PNS", "PNS"
    PPPK = "PPPK", "PPPK"
    NONASN = "NONASN", "Non-ASN"


class Role(models.TextChoices):
    ATASAN = "atasan", "Atasan langsung"
    VERIFIKATOR = "verifikator", "Verifikator"
    OPERATOR = "operator", "Operator kepegawaian"
    BKPSDM_ADMIN = "bkpsdm_admin", "Admin BKPSDM"
    KEPALA_OPD = "kepala_opd", "Kepala OPD"
    INSPEKTORAT = "inspektorat", "Inspektorat"
    BPKAD = "bpkad", "BPKAD / bendahara"
    KEPALA_DAERAH = "kepala_daerah", "Kepala daerah"


class SiteShape(models.TextChoices):
    CIRCLE = "circle", "Lingkaran"
    POLYGON = "polygon", "Poligon"
