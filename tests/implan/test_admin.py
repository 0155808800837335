"""Every model of the portal has a working admin page; accounts are (de)activated through services."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import Promise

from implan import services
from implan.errors import DomainError
from implan.models import Event

PORTAL_APPS = ["implan", "councils", "planning", "projects", "indicators"]
PORTAL_MODELS = [
    m
    for label in PORTAL_APPS
    for m in apps.get_app_config(label).get_models()
    if not m.__name__.startswith("Historical")
]


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
def test_observations_are_exported_from_the_admin_but_loaded_only_in_the_workspace(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:indicators_observation_export")).status_code == 200
    assert client.get(reverse("admin:indicators_observation_import")).status_code == 403


@pytest.mark.django_db
def test_event_rows_cannot_be_changed_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get(reverse("admin:implan_event_add")).status_code == 403


@pytest.mark.django_db
def test_the_deactivate_action_records_who_deactivated_each_account(client, superuser, planner, outsider):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [planner.pk, outsider.pk, superuser.pk]},
    )
    assert response.status_code == 302
    events = Event.objects.filter(action="user_deactivated")
    assert sorted((e.object_id, e.actor) for e in events) == sorted([(planner.pk, superuser), (outsider.pk, superuser)])
    superuser.refresh_from_db()
    assert superuser.is_active  # nobody locks themselves out, and no event says otherwise


@pytest.mark.django_db
def test_the_reactivate_action_records_who_reactivated_the_account(client, superuser, planner):
    services.user_deactivate(actor=superuser, user=planner)
    client.force_login(superuser)
    client.post(reverse("admin:auth_user_changelist"), {"action": "reactivate", "_selected_action": [planner.pk]})
    planner.refresh_from_db()
    assert planner.is_active
    assert Event.objects.get(action="user_reactivated", object_id=planner.pk).actor == superuser


@pytest.mark.django_db
def test_an_administrator_cannot_deactivate_their_own_account(administrator):
    with pytest.raises(DomainError, match="propia cuenta"):
        services.user_deactivate(actor=administrator, user=administrator)


@pytest.mark.django_db
def test_only_the_administration_deactivates_accounts(planner, outsider):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=planner, user=outsider)
    outsider.refresh_from_db()
    assert outsider.is_active


@pytest.mark.parametrize("model", PORTAL_MODELS, ids=lambda m: m._meta.label)
def test_every_field_has_a_translatable_label(model):
    """Without one the admin shows Django's English guess from the field name ("content type", "has note")."""
    unlabelled = [
        f.name
        for f in model._meta.get_fields()
        if f.concrete and not f.auto_created and not isinstance(f.verbose_name, Promise)
    ]
    assert unlabelled == []


def test_the_account_form_does_not_change_activation_past_the_service(client, superuser, planner):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[planner.pk])
    page = client.get(url).content.decode()
    assert 'name="is_active"' not in page  # shown, not editable: the actions record who (de)activated


@pytest.mark.django_db
def test_the_history_page_of_a_record_of_every_model_answers(client, demo):
    # The admin's «Historial» link of every record: simple-history's versions, or Django's log for the models that
    # keep no versions (it answered 500 on session notices and packets).
    client.force_login(get_user_model().objects.get(username="admin"))
    failures = []
    for model in PORTAL_MODELS:
        record = model._default_manager.order_by("pk").first()
        if record is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[record.pk])
        if (status := client.get(url).status_code) != 200:
            failures.append(f"{model._meta.label}: {status}")
    assert failures == []
