"""The login backend: Django's, reading the signed-in user with their role and government.

Every page asks who the user is, what role they hold and in which government: one query for
the three instead of three (the user, then `user.membership`, then `membership.government`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("membership__government").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
