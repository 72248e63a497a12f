"""The service's own details for the privacy notice and the accessibility statement (settings/env)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ServiceContact:
    controller_name: str
    controller_address: str
    dpo_email: str
    accessibility_email: str
    accessibility_statement_date: str
    retention_months: int


def service_contact() -> ServiceContact:
    return ServiceContact(
        controller_name=settings.PRIVACY_CONTROLLER_NAME,
        controller_address=settings.PRIVACY_CONTROLLER_ADDRESS,
        dpo_email=settings.PRIVACY_DPO_EMAIL,
        accessibility_email=settings.ACCESSIBILITY_CONTACT_EMAIL,
        accessibility_statement_date=settings.ACCESSIBILITY_STATEMENT_DATE,
        retention_months=settings.RETENTION_MONTHS,
    )
