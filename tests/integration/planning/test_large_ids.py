"""Ids, years and page numbers go into links and form values as plain digits: a Renstra objective
whose id has five digits is offered as "12345" (never "12.345", which the form would refuse), and a
strategy added under it is stored there."""

from __future__ import annotations

import pytest
from django.test import Client

from selaras.web.plans.models import RenstraObjective, RenstraStrategy
from tests.planning_world import build_plan_world

pytestmark = pytest.mark.django_db


def test_a_five_digit_parent_id_is_offered_and_accepted_as_plain_digits():
    pw = build_plan_world()
    renstra = pw.renstra["pupr"]
    goal = renstra.goals.get()
    objective = RenstraObjective.objects.create(pk=12345, goal=goal, number="1.2", text="Sasaran dengan id besar")
    client = Client()
    client.force_login(pw.users["perencana_pupr"])
    page = client.get(f"/penyusunan/renstra/{renstra.pk}/").content.decode()
    assert 'value="12345"' in page and "12.345" not in page
    answer = client.post(f"/penyusunan/renstra/{renstra.pk}/butir/", {"jenis": "strategi", "induk": "12345",
                                                                       "uraian": "Pemeliharaan jalan rutin"})
    assert answer.status_code == 302
    assert list(RenstraStrategy.objects.filter(objective=objective).values_list("text", flat=True)) == [
        "Pemeliharaan jalan rutin"]
    # a value the form could not have sent: the message names the field in Bahasa Indonesia, no code
    client.post(f"/penyusunan/renstra/{renstra.pk}/butir/", {"jenis": "strategi", "induk": "12.345", "uraian": "x"})
    shown = client.get(f"/penyusunan/renstra/{renstra.pk}/").content.decode()
    assert "invalid_parameter" not in shown and "not_integer" not in shown
