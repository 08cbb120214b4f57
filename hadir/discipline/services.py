"""The warning and escalation ladder (RULEBOOK.md sections 5 and 6).

Not built yet: it arrives with the discipline issue. Until then a run says so and changes nothing.
"""

from __future__ import annotations

from datetime import date


def discipline_run(*, on: date | None) -> str:
    day = on.isoformat() if on else "today"
    return (
        f"discipline ladder for {day}: not implemented yet (it comes with the discipline issue); "
        "nothing was changed"
    )
