"""Every model of the portal has a working admin page."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PORTAL_APPS = ["implan", "councils", "planning", "projects", "indicators"]
PORTAL_MODELS = [m for label in PORTAL_APPS for m in apps.get_app_config(label).get_models()
                 if not m.__name__.startswith("Historical")]


def test_every_portal_model_is_registered_in_the_admin():
    missing = [m._meta.label for m in PORTAL_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_add_pages_answer(client, superuser, model):
    client.force_login(superuser)
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    if admin.site._registry[model].has_add_permission(type("R", (), {"user": superuser})()):
        assert client.get(reverse(f"{prefix}_add")).status_code == 200


@pytest.mark.django_db
def test_observations_can_be_imported_from_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:indicators_observation_import")).status_code == 200


@pytest.mark.django_db
def test_event_rows_cannot_be_changed_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:implan_event_add")).status_code == 403
