"""Issue 13 (5): a link cannot be brute-forced: lifetime caps, atomic counts, one live code,
limits shared by every portal process, and the court told when a link locks."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.portal.app import create_portal_app
from api.portal.settings import portal_settings_of
from domain.settings import Settings
from domain.store.documents import DocumentStore
from domain.tables.core import PortalPublication
from tests.portal.conftest import CLIENT_ADDRESS
from tests.portal.support import (
    ID_NUMBER,
    NAME,
    Published,
    kinds,
    pass_time,
    publish_attempt,
    receipts,
)
from tests.portal.test_code import newest_code

RIGHT = {"name": NAME, "id_tail": ID_NUMBER[-4:]}
WRONG = {"name": "李四", "id_tail": ID_NUMBER[-4:]}


def fail_round(portal: TestClient, token: str) -> list[int]:
    """Five wrong answers, then fifteen minutes and a bit pass."""
    return [portal.post(f"/s/{token}/identity", data=WRONG).status_code for _ in range(5)]


def test_the_link_locks_for_good_after_twenty_failures(
    portal: TestClient, db: Session, published: Published
) -> None:
    token = published.token
    for _ in range(4):
        assert fail_round(portal, token) == [403, 403, 403, 403, 423]
        pass_time(db, timedelta(minutes=16))
    assert portal.post(f"/s/{token}/identity", data=RIGHT).status_code == 423
    pass_time(db, timedelta(days=10))
    page = portal.post(f"/s/{token}/identity", data=RIGHT)
    assert page.status_code == 423 and "12368" in page.text
    assert kinds(db, published.publication_id).count("identity_failed") == 20
    assert kinds(db, published.publication_id).count("link_locked") == 4


def test_the_party_locks_across_its_links(
    portal: TestClient, db: Session, settings: Settings, store: DocumentStore, published: Published
) -> None:
    reference = published.reference.replace("phone0submitted", "phone1submitted")
    second = publish_again(db, settings, published, reference)
    for round_number in range(6):
        token = published.token if round_number < 4 else second
        assert fail_round(portal, token)[-1] == 423
        pass_time(db, timedelta(minutes=16))
    # 30 failures on the party's links: even a fresh link of the party is locked.
    third = publish_again(db, settings, published, reference.replace("phone1", "phone2"))
    assert portal.post(f"/s/{third}/identity", data=RIGHT).status_code == 423
    other = publish_attempt(db, settings, store)
    assert portal.post(f"/s/{other.token}/identity", data=RIGHT).status_code == 303


def publish_again(db: Session, settings: Settings, published: Published, reference: str) -> str:
    """Publishes another attempt of the same task and returns its token."""
    from domain.store.portal import publish

    link = publish(
        db, settings, task_id=published.task_id, reference=reference, channel="sms",
        target="13800000002",
    )  # fmt: skip
    return link.rsplit("/", 1)[1]


def test_concurrent_guesses_get_at_most_five_tries(
    portal: TestClient, db: Session, published: Published
) -> None:
    token = published.token
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(
                lambda _: portal.post(f"/s/{token}/identity", data=WRONG).status_code, range(8)
            )
        )
    assert kinds(db, published.publication_id).count("identity_failed") <= 5
    assert statuses.count(403) <= 4 and 423 in statuses


def test_only_the_newest_code_is_live(
    portal: TestClient, db: Session, gateway_url: str, published: Published
) -> None:
    assert portal.post(f"/s/{published.token}/code").status_code == 303
    first = newest_code(gateway_url, "sms", "13800000002")
    pass_time(db, timedelta(seconds=61))
    assert portal.post(f"/s/{published.token}/code").status_code == 303
    second = newest_code(gateway_url, "sms", "13800000002")
    if first != second:
        refused = portal.post(f"/s/{published.token}/code/verify", data={"code": first})
        assert refused.status_code == 403
    verified = portal.post(f"/s/{published.token}/code/verify", data={"code": second})
    assert verified.status_code == 303


def test_rate_limits_hold_across_portal_processes(
    settings: Settings, engine: object, db: Session, store: DocumentStore
) -> None:
    links = [publish_attempt(db, settings, store).token for _ in range(5)]
    one, two = (
        TestClient(create_portal_app(settings), client=(CLIENT_ADDRESS, 5000 + n)) for n in (1, 2)
    )
    with one, two:
        for index in range(10):
            client = one if index % 2 else two
            assert client.post(f"/s/{links[index % 5]}/identity", data=WRONG).status_code == 403
        assert one.post(f"/s/{links[0]}/identity", data=RIGHT).status_code == 429
        assert two.post(f"/s/{links[1]}/identity", data=RIGHT).status_code == 429
    query = select(PortalPublication.id)
    assert len(db.scalars(query).all()) == 5


def test_a_forged_forwarded_for_does_not_escape_the_address_limit(
    portal: TestClient, db: Session, settings: Settings, store: DocumentStore
) -> None:
    # The test client is no trusted proxy: X-Forwarded-For from it is ignored.
    links = [publish_attempt(db, settings, store).token for _ in range(5)]
    for index in range(10):
        forged = {"X-Forwarded-For": f"198.51.100.{index}"}
        answer = portal.post(f"/s/{links[index % 5]}/identity", data=WRONG, headers=forged)
        assert answer.status_code == 403
    forged = {"X-Forwarded-For": "198.51.100.99"}
    assert portal.post(f"/s/{links[0]}/identity", data=RIGHT, headers=forged).status_code == 429


def test_a_trusted_proxy_names_the_client(
    settings: Settings, engine: object, db: Session, store: DocumentStore
) -> None:
    published = publish_attempt(db, settings, store)
    app = create_portal_app(portal_settings_of(settings).model_copy(
        update={"trusted_proxies": "10.0.0.5"}))  # fmt: skip
    with TestClient(app, client=("10.0.0.5", 4000)) as proxy:
        proxy.get(f"/s/{published.token}", headers={"X-Forwarded-For": "203.0.113.50"})
    (opened,) = [r for r in receipts(db, published.publication_id) if r.kind == "opened"]
    assert opened.client_address == "203.0.113.50"
