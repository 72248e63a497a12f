"""The Django admin reads domain data but never writes it: changes go through the services."""

from __future__ import annotations

import pytest
from django.contrib import admin

from interviewdesk.procedures.models import Procedure
from interviewdesk.scheduling.models import Appointment
from tests.factories import ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db

# What the admin may still change: accounts, the service's closure days, lock-outs.
WRITABLE = {"core.user", "core.closureday", "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog",
            "auth.group"}


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def test_the_admin_cannot_change_a_procedure_status(admin_client):
    procedure = ProcedureFactory(status=Procedure.Status.OPEN)
    url = f"/admin/procedures/procedure/{procedure.pk}/change/"
    assert admin_client.get(url).status_code == 200  # reading is fine
    admin_client.post(url, {"reference": procedure.reference, "title": procedure.title, "status": "closed",
                            "language": procedure.language})
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.OPEN
    assert admin_client.get("/admin/procedures/procedure/add/").status_code == 403


def test_the_admin_cannot_delete_an_appointment(admin_client):
    from tests.factories import AppointmentFactory

    appointment = AppointmentFactory()
    response = admin_client.post(f"/admin/scheduling/appointment/{appointment.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = admin_client.post("/admin/scheduling/appointment/",
                                 {"action": "delete_selected", "_selected_action": [appointment.pk], "post": "yes"})
    assert Appointment.objects.filter(pk=appointment.pk).exists()


def test_every_domain_model_in_the_admin_is_read_only(rf):
    request = rf.get("/admin/")
    request.user = UserFactory(username="root", is_superuser=True, is_staff=True)
    writable = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower in WRITABLE:
            continue
        if (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
                or model_admin.has_delete_permission(request)):
            writable.append(model._meta.label_lower)
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request) \
                    or inline.has_delete_permission(request):
                writable.append(f"{model._meta.label_lower} inline {inline.model._meta.label_lower}")
    assert writable == []
