"""Numbers the Indonesian way: 1.250.000."""

from django import template

register = template.Library()


@register.filter
def rupiah(value: object) -> str:
    try:
        return f"{int(value):,}".replace(",", ".")  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
