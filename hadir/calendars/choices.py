from django.db import models


class CalendarKind(models.TextChoices):
    NATIONAL_HOLIDAY = "national_holiday", "Libur nasional"
    CUTI_BERSAMA = "cuti_bersama", "Cuti bersama"
    REGIONAL_HOLIDAY = "regional_holiday", "Libur daerah"
    RAMADAN = "ramadan", "Ramadan"


NON_WORKING_KINDS = frozenset(
    {CalendarKind.NATIONAL_HOLIDAY, CalendarKind.CUTI_BERSAMA, CalendarKind.REGIONAL_HOLIDAY}
)
