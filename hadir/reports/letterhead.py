"""The region's letterhead (kop surat) and signature block on exported sheets.

The signatory is the head of the exported unit, or for a whole region the head of its single
root unit (Sekretariat Daerah in most trees); without one the block leaves the name blank for
a wet signature. No new data is needed: names come from the unit tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hadir.org.models import Region, Unit

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def month_name(month: date) -> str:
    return f"{MONTHS_ID[month.month - 1]} {month.year}"


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Letterhead:
    government: str  # "PEMERINTAH KABUPATEN KUTAI TIMUR"
    office: str  # the unit exported, or the region's root unit
    place: str
    signatory_title: str
    signatory_name: str
    signatory_nip: str
    signed_on: date

    def heading_lines(self) -> list[str]:
        return [self.government, self.office.upper()]

    def signature_lines(self) -> list[str]:
        return [
            f"{self.place}, {long_date(self.signed_on)}",
            self.signatory_title,
            "",
            "",
            "",
            self.signatory_name or "(.................................)",
            f"NIP {self.signatory_nip}" if self.signatory_nip else "NIP ",
        ]


def letterhead_for(*, region: Region, unit: Unit | None, today: date) -> Letterhead:
    office = unit
    if office is None:
        roots = list(
            Unit.objects.filter(region=region, parent__isnull=True).select_related("head")[:2]
        )
        office = roots[0] if len(roots) == 1 else None
    elif office.head_id is not None:
        office = Unit.objects.select_related("head").get(pk=office.pk)
    head = office.head if office is not None else None
    place = region.name
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        place = place.removeprefix(prefix)
    return Letterhead(
        government=f"PEMERINTAH {region.name.upper()}",
        office=office.name if office is not None else "Badan Kepegawaian Daerah",
        place=place,
        signatory_title=f"Kepala {office.name}" if office is not None else "Kepala BKPSDM",
        signatory_name=head.name if head is not None else "",
        signatory_nip=(head.nip or "") if head is not None else "",
        signed_on=today,
    )
