from __future__ import annotations

import pytest

from hadir.audit.models import AuditEntry
from hadir.audit.services import GENESIS, audit_record, audit_verify_chain

pytestmark = pytest.mark.django_db


def test_it_chains_each_entry_to_the_previous_one() -> None:
    first = audit_record(actor="eka", action="ruleset.load", data={"region": "6408"})
    second = audit_record(actor="citra", action="import.events", data={"rows": 3})
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert audit_verify_chain() == []


def test_it_detects_an_edited_entry() -> None:
    audit_record(actor="eka", action="ruleset.load", data={"region": "6408"})
    tampered = audit_record(actor="citra", action="import.events", data={"rows": 3})
    audit_record(actor="citra", action="import.absences", data={"rows": 1})
    AuditEntry.objects.filter(id=tampered.id).update(data={"rows": 300})
    assert audit_verify_chain() == [tampered.id]
