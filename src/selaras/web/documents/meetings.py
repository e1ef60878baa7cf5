"""Reading and saving a forum meeting (the facts its berita acara prints)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from selaras.domain.errors import InvalidInput
from selaras.web.documents.models import (
    ATTENDEE_LIMITS,
    FORUM_AGENCY,
    MEETING_LIMITS,
    Attendee,
    Meeting,
    too_long,
)
from selaras.web.plans.models import Agency, LocalGovernment


def meeting_of(government: LocalGovernment, forum: str, year: int, scope: Any) -> Meeting | None:
    if forum == FORUM_AGENCY:
        return Meeting.objects.filter(government=government, forum=forum, year=year, agency=scope).first()
    return Meeting.objects.filter(government=government, forum=forum, year=year, district_code=scope,
                                  agency=None).first()


def initial(meeting: Meeting | None) -> dict[str, Any]:
    if meeting is None:
        return {}
    labels = dict(Attendee._meta.get_field("role").choices or [])
    lines = [f"{a.name}; {a.position}; {a.institution}; {labels.get(a.role, '')}" for a in meeting.attendees.all()]
    return {"place": meeting.place, "held_on": meeting.held_on, "chair_name": meeting.chair_name,
            "chair_position": meeting.chair_position, "chair_nip": meeting.chair_nip, "attendees": "\n".join(lines)}


@transaction.atomic
def save_meeting(government: LocalGovernment, forum: str, year: int, scope: Any, data: dict[str, Any]) -> Meeting:
    """Create or update the meeting; the attendance list is replaced by the one given. A text longer
    than the berita acara prints (`MEETING_LIMITS`, `ATTENDEE_LIMITS`) is refused with
    `InvalidInput` before anything is written."""
    check_lengths(data)
    meeting = meeting_of(government, forum, year, scope)
    if meeting is None:
        meeting = Meeting(government=government, forum=forum, year=year,
                          agency=scope if isinstance(scope, Agency) else None,
                          district_code="" if isinstance(scope, Agency) else str(scope))
    for field in ("place", "held_on", "chair_name", "chair_position", "chair_nip"):
        setattr(meeting, field, data.get(field) or ("" if field != "held_on" else None))
    meeting.chair_nip = meeting.chair_nip.replace(" ", "")
    meeting.save()
    meeting.attendees.all().delete()
    Attendee.objects.bulk_create([Attendee(meeting=meeting, order=i, **row)
                                  for i, row in enumerate(data.get("attendees", []), start=1)])
    return meeting


def check_lengths(data: dict[str, Any]) -> None:
    """`InvalidInput` (its `field` param names the field) for the first text that is too long."""
    problems = too_long(data, MEETING_LIMITS)
    for name, message in problems.items():
        raise InvalidInput(message, field=name)
    for number, row in enumerate(data.get("attendees", []), start=1):
        for name, message in too_long(row, ATTENDEE_LIMITS).items():
            raise InvalidInput(f"Daftar hadir baris {number}: {message}", field="attendees", column=name)
