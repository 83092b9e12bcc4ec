"""Console sign-in throttling: by account name and by source, exponential, never a lock.

The tests call :func:`mdr.access.staff.sign_in` as the sign-in page does, on the
rolled-back test session, where ``now()`` stands still: a wait is over when the test
moves ``blocked_until`` to ``now()``.
"""

from __future__ import annotations

import statistics
import time

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from mdr.access import staff as auth
from mdr.access.staff import (
    ACCOUNT_MAX_DELAY,
    FREE_FAILURES,
    SOURCE_MAX_DELAY,
    Throttle,
    sign_in,
    source_address,
)
from mdr.db.sql import advisory_key
from tests.console.seed import PASSWORD, add_user

pytestmark = pytest.mark.db

SECRET = b"test-secret-of-the-throttle-subjects"


def attempt(session: Session, name: str, password: str, source: str) -> auth.SignInResult:
    return sign_in(session, name, password, source=source, secret=SECRET)


def waited(session: Session) -> None:
    """As if every delay had passed."""
    session.execute(text("UPDATE sign_in_throttle SET blocked_until = now()"))


def wait_of(session: Session, subject: str) -> float:
    return float(session.execute(text(
        "SELECT extract(epoch FROM blocked_until - now()) FROM sign_in_throttle "
        "WHERE subject = :s"), {"s": subject}).scalar_one())


def test_a_strangers_failures_delay_the_owner_briefly_and_never_lock_the_account(
        db_session: Session) -> None:
    add_user(db_session, "kim", "steward")
    account = Throttle.of("kim", None, SECRET).account
    for i in range(30):  # from 30 addresses, each new: only the account's count grows
        assert attempt(db_session, "kim", f"guess {i}", f"198.51.100.{i}").ok is False
        assert wait_of(db_session, account) <= ACCOUNT_MAX_DELAY.total_seconds()
        waited(db_session)
    for i in range(3):  # another stranger, now: the account waits its longest
        assert attempt(db_session, "kim", "guess", f"192.0.2.{i}").ok is False
    owner = attempt(db_session, "kim", PASSWORD, "203.0.113.7")  # the owner, from a new place
    assert owner.retry_after == ACCOUNT_MAX_DELAY.total_seconds() and not owner.ok
    waited(db_session)
    assert attempt(db_session, "kim", PASSWORD, "203.0.113.7").ok
    assert db_session.execute(text("SELECT count(*) FROM sign_in_throttle WHERE subject = :a"),
                              {"a": account}).scalar_one() == 0  # a success clears it


def test_failures_from_one_source_are_throttled_hard(db_session: Session) -> None:
    add_user(db_session, "kim", "steward")
    source = Throttle.of("", "203.0.113.9", SECRET).source
    waits = []
    for i in range(16):  # a different name each time: only the source's count grows
        assert attempt(db_session, f"name{i}", "guess", "203.0.113.9").ok is False
        waits.append(wait_of(db_session, source))
        right = attempt(db_session, "kim", PASSWORD, "203.0.113.9")
        if waits[-1] > 0:  # even the right password waits
            assert right.retry_after == round(waits[-1]) and not right.ok
        waited(db_session)
    assert waits[:FREE_FAILURES] == [0, 0, 0]
    assert waits[FREE_FAILURES:FREE_FAILURES + 5] == [1, 2, 4, 8, 16]
    assert waits[-1] == SOURCE_MAX_DELAY.total_seconds()
    assert attempt(db_session, "kim", PASSWORD, "198.51.100.1").ok  # other sources: as ever


def test_an_ipv6_slash_64_is_one_source() -> None:
    assert source_address("2001:db8:1:2::1") == source_address("2001:db8:1:2:ffff::9") \
        == "2001:db8:1:2::/64"
    assert source_address("2001:db8:1:3::1") != source_address("2001:db8:1:2::1")
    assert source_address("::ffff:192.0.2.1") == source_address("192.0.2.1") == "192.0.2.1"
    assert source_address(None) == "unknown"


def test_an_attempt_while_another_is_heard_is_refused(db_session: Session,
                                                      engine: Engine) -> None:
    add_user(db_session, "kim", "steward")
    subject = Throttle.of("kim", "192.0.2.1", SECRET).account
    with engine.connect() as other:  # an attempt on that account in flight elsewhere
        other.execute(text("SELECT pg_advisory_lock(:k)"),
                      {"k": advisory_key(f"mdr-sign-in:{subject}")})
        try:
            busy = attempt(db_session, "kim", PASSWORD, "192.0.2.1")
        finally:
            other.execute(text("SELECT pg_advisory_unlock_all()"))
    assert busy.retry_after == 1 and not busy.ok
    assert attempt(db_session, "kim", PASSWORD, "192.0.2.1").ok


def test_unknown_and_known_names_cost_the_same(db_session: Session,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """One hash verification for every heard attempt, none for a refused one; and the
    wall time of failures on an unknown name and on a known one alike."""
    add_user(db_session, "kim", "steward")
    verified: list[str] = []
    original = auth._verify

    def counting(stored: str, password: str) -> bool:
        verified.append(stored)
        return original(stored, password)

    monkeypatch.setattr(auth, "_verify", counting)
    times: dict[str, list[float]] = {"kim": [], "nobody": []}
    for i in range(7):
        for name in times:
            db_session.execute(text("DELETE FROM sign_in_throttle"))
            began = time.perf_counter()
            assert not attempt(db_session, name, "wrong password", f"192.0.2.{i}").ok
            times[name].append(time.perf_counter() - began)
    assert len(verified) == 14
    known, unknown = (statistics.median(times[name]) for name in ("kim", "nobody"))
    assert 0.5 < unknown / known < 2, times
    for name in times:  # delayed: refused unheard, whoever the name is
        db_session.execute(text("DELETE FROM sign_in_throttle"))
        for _ in range(FREE_FAILURES + 1):
            attempt(db_session, name, "wrong password", "192.0.2.200")
            _clear_source(db_session, "192.0.2.200")
        before = len(verified)
        assert attempt(db_session, name, PASSWORD, "192.0.2.201").retry_after == 1
        assert len(verified) == before


def _clear_source(session: Session, address: str) -> None:
    session.execute(text("DELETE FROM sign_in_throttle WHERE subject = :s"),
                    {"s": Throttle.of("", address, SECRET).source})


