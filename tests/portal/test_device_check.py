from decimal import Decimal

import pytest

from interviewdesk.portal.models import DeviceCheck
from interviewdesk.portal.services.devicecheck import judge
from tests.factories import CandidateFactory
from tests.portal.conftest import log_in

pytestmark = pytest.mark.django_db

GOOD = {"camera_ok": True, "microphone_ok": True, "sound_heard": True, "browser": "Chrome", "latency_ms": 40,
        "download_mbps": Decimal("25"), "upload_mbps": Decimal("8")}


@pytest.mark.parametrize(("changes", "verdict", "reasons"), [
    ({}, "ok", []),
    ({"browser": "Firefox"}, "warning", ["browser"]),
    ({"sound_heard": False}, "warning", ["sound_not_heard"]),
    ({"latency_ms": 450, "upload_mbps": Decimal("1.0")}, "warning", ["latency_high", "upload_low"]),
    ({"camera_ok": False}, "fail", ["no_camera"]),
    ({"download_mbps": Decimal("0.6"), "browser": "Safari"}, "fail", ["browser", "download_fail"]),
    ({"latency_ms": None}, "fail", ["not_measured"]),
])
def test_verdict_follows_the_thresholds(changes, verdict, reasons):
    assert judge(**{**GOOD, **changes}) == (verdict, reasons)


def test_results_are_saved_with_their_numbers_and_the_server_decides_the_verdict(client):
    candidate = CandidateFactory()
    log_in(client, candidate)
    response = client.post("/portal/device-check/", {
        "camera_ok": "on", "microphone_ok": "on", "sound_heard": "on", "browser": "Edge", "latency_ms": "35",
        "download_mbps": "48.20", "upload_mbps": "0.30"})
    assert response.status_code == 302
    check = DeviceCheck.objects.get(candidate=candidate)
    assert (check.verdict, check.reasons, check.latency_ms, check.download_mbps, check.upload_mbps,
            check.browser_recommended) == ("fail", ["upload_fail"], 35, Decimal("48.20"), Decimal("0.30"), True)


def test_measurement_endpoints_serve_only_a_candidate_session(client):
    assert client.get("/portal/device-check/ping/").status_code == 403
    assert client.get("/portal/device-check/download/?bytes=1000").status_code == 403
    log_in(client, CandidateFactory())
    assert client.get("/portal/device-check/ping/").status_code == 204
    response = client.get("/portal/device-check/download/?bytes=300000")
    assert len(response.content) == 300000
    assert response["Cache-Control"] == "no-store"
    assert len(client.get("/portal/device-check/download/?bytes=999999999").content) == 8 * 1024 * 1024
    response = client.post("/portal/device-check/upload/", data=b"x" * 70000, content_type="application/octet-stream")
    assert response.json() == {"bytes": 70000}
