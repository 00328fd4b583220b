"""The auditors' page: filter the log, see the hash chain verified."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record


@pytest.fixture
def auditor(demo_accounts):
    client = Client()
    client.cookies["django_language"] = "en"
    client.login(username="auditor", password="demo-auditor")
    return client


@pytest.fixture
def entries(demo_accounts, django_user_model):
    users = {u.username: u for u in django_user_model.objects.all()}
    audit_record(
        actor=users["office"],
        action=AuditEntry.Action.VIEW,
        object_type="registry.person",
        object_id=11,
        town_code="442000100",
        summary="viewed the record of person P-11 (page)",
    )
    audit_record(
        actor=users["town-guzhen"],
        action=AuditEntry.Action.UPDATE,
        object_type="registry.household",
        object_id=12,
        town_code="442000105",
        summary="update registry.household H-12",
    )
    audit_record(
        actor=users["civil-affairs"],
        action=AuditEntry.Action.EXPORT,
        object_type="registry.person",
        town_code="",
        summary="exported 3 persons to xlsx (ID numbers masked)",
    )
    return list(AuditEntry.objects.order_by("seq"))


def _summaries(response) -> list[str]:
    return [entry.summary for entry in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The auditor's own login comes first (issue 10, finding 10).
        (
            "",
            [
                "exported 3",
                "update registry.household",
                "viewed the record",
                "logged in (web)",
            ],
        ),
        ("?user=town-guzhen", ["update registry.household"]),
        ("?action=view", ["viewed the record"]),
        ("?object_type=registry.person", ["exported 3", "viewed the record"]),
        ("?town=442000105", ["update registry.household"]),
        ("?action=export&object_type=registry.person", ["exported 3"]),
        ("?date_to=2000-01-01", []),
    ],
)
def test_the_auditor_filters_the_log(auditor, entries, query, expected):
    response = auditor.get(f"/audit/{query}")
    assert response.status_code == 200
    summaries = _summaries(response)
    assert len(summaries) == len(expected)
    assert all(s.startswith(e) for s, e in zip(summaries, expected, strict=True))


def test_dates_are_local_days_and_both_ends_count(auditor, entries):
    today = (
        dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    )
    response = auditor.get(f"/audit/?date_from={today}&date_to={today}")
    assert len(_summaries(response)) == 4  # with the auditor's login
    response = auditor.get(f"/audit/?date_from={today + dt.timedelta(days=1)}")
    assert _summaries(response) == []


def test_htmx_gets_only_the_table(auditor, entries):
    response = auditor.get("/audit/?action=view", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and "<table" in page and "viewed the record" in page
    assert "1 entry" in page


def test_the_page_shows_the_chain_verified_then_broken(auditor, entries):
    intact = auditor.get("/audit/verify/").content.decode()
    assert "Hash chain intact: all 4 entries verified" in intact
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
        cursor.execute("UPDATE audit_auditentry SET summary = 'nothing' WHERE seq = 2")
    broken = auditor.get("/audit/verify/").content.decode()
    assert "Hash chain BROKEN at entry 2 (1 entries before it verified)." in broken
    assert "its content does not match its hash" in broken


def test_the_log_page_loads_the_verification_lazily(auditor, entries):
    page = auditor.get("/audit/").content.decode()
    assert 'hx-get="/audit/verify/"' in page and 'hx-trigger="load"' in page


def test_the_page_checks_the_latest_kept_checkpoint(auditor, entries, settings):
    """Issue 10, finding 5: a cut tail with a rewound head shows on the page too."""
    from equiserve.audit.checkpoints import checkpoint_write
    from equiserve.audit.models import AuditChainHead

    head = AuditChainHead.objects.get(pk=1)
    checkpoint_write(
        settings.AUDIT_CHECKPOINT_DIR, seq=head.entries, head_hash=head.last_hash
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM audit_auditentry WHERE seq = 4")
    third = AuditEntry.objects.get(seq=3)
    AuditChainHead.objects.filter(pk=1).update(entries=3, last_hash=third.hash)
    broken = auditor.get("/audit/verify/").content.decode()
    assert "Hash chain BROKEN at entry 4 (3 entries before it verified)." in broken
    assert "the chain ends before checkpoint entry 4" in broken
