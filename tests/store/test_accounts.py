"""Accounts and tokens: hashing, wrong password, lock-out, disabled accounts, sessions, tokens, invitations."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from metastasis.errors import InvalidInputError
from metastasis.examples.cases import load_example_case
from metastasis.store import AuthenticationError, Principal, RecordNotFound, Role, Store
from metastasis.store.accounts import lock_time, normalise_email
from metastasis.store.models import AuditEntry, Credential, User
from metastasis.store.tokens import token_hash
from tests.store.conftest import PASSWORD

HYPER = load_example_case("hypercalcaemia")


def _backdate(store: Store, **values: dt.datetime) -> None:
    with store.write() as session:
        session.execute(update(Credential).values(**values))


def test_password_is_stored_as_argon2_hash(store: Store) -> None:
    store.accounts.add_user(" Doc@Example.ORG ", "clinician", PASSWORD)
    with store.read() as session:
        user = session.scalar(select(User))
        assert user is not None
        assert user.email == "doc@example.org"
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    principal = store.accounts.authenticate("DOC@example.org", PASSWORD)
    assert (principal.role, principal.email) == (Role.CLINICIAN, "doc@example.org")


@pytest.mark.parametrize(
    ("email", "role", "password", "field"),
    [
        ("not-an-email", "clinician", PASSWORD, "email"),
        ("a@example.org", "patient", PASSWORD, "role"),
        ("a@example.org", "superuser", PASSWORD, "role"),
        ("a@example.org", "clinician", "elevenchars", "password"),
    ],
)
def test_add_user_refuses_bad_input(store: Store, email: str, role: str, password: str, field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        store.accounts.add_user(email, role, password)
    assert caught.value.field == field


def test_duplicate_email_refused(store: Store) -> None:
    store.accounts.add_user("a@example.org", "clinician", PASSWORD)
    with pytest.raises(InvalidInputError, match="no account yet"):
        store.accounts.add_user("A@example.org", "admin", PASSWORD)


def test_wrong_password_unknown_email_and_lock_out(store: Store) -> None:
    store.accounts.add_user("a@example.org", "clinician", PASSWORD)
    with pytest.raises(AuthenticationError):
        store.accounts.authenticate("nobody@example.org", PASSWORD)
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            store.accounts.authenticate("a@example.org", "wrong password!")
    assert store.accounts.authenticate("a@example.org", PASSWORD).email == "a@example.org"  # resets the count
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            store.accounts.authenticate("a@example.org", "wrong password!")
    with pytest.raises(AuthenticationError):  # locked: even the right password is refused
        store.accounts.authenticate("a@example.org", PASSWORD)
    with store.write() as session:
        session.execute(update(User).values(locked_until=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)))
    assert store.accounts.authenticate("a@example.org", PASSWORD).role is Role.CLINICIAN
    with store.read() as session:
        outcomes = session.scalars(select(AuditEntry.outcome).where(AuditEntry.action == "login")).all()
    assert outcomes.count("denied") == 11 and outcomes.count("allowed") == 2


def test_lock_time_grows() -> None:
    assert [lock_time(n) for n in (0, 4)] == [dt.timedelta(0)] * 2
    assert [lock_time(n) for n in (5, 6, 7)] == [dt.timedelta(minutes=m) for m in (1, 2, 4)]
    assert lock_time(100) == dt.timedelta(hours=24)


def test_normalise_email() -> None:
    assert normalise_email(" X@Y.Org") == "x@y.org"
    with pytest.raises(InvalidInputError):
        normalise_email("x@y")


def test_disabled_account_cannot_log_in_and_its_tokens_stop(store: Store) -> None:
    store.accounts.add_user("a@example.org", "clinician", PASSWORD)
    me = store.accounts.authenticate("a@example.org", PASSWORD)
    access = store.tokens.create_access_token(me)
    web = store.tokens.create_session(me)
    store.accounts.set_active("a@example.org", False)
    with pytest.raises(AuthenticationError):
        store.accounts.authenticate("a@example.org", PASSWORD)
    with pytest.raises(AuthenticationError):
        store.tokens.bearer(access.token)
    with pytest.raises(AuthenticationError):
        store.tokens.session(web.token)


def test_sessions_expire_idle_and_are_revoked(store: Store) -> None:
    store.accounts.add_user("a@example.org", "clinician", PASSWORD)
    me = store.accounts.authenticate("a@example.org", PASSWORD)
    web = store.tokens.create_session(me)
    other = store.tokens.create_session(me)
    assert web.token != other.token and web.csrf_secret != other.csrf_secret  # fresh per log-in
    info = store.tokens.session(web.token)
    assert (info.email, info.csrf_secret) == ("a@example.org", web.csrf_secret)
    with store.read() as session:
        hashes = set(session.scalars(select(Credential.token_hash)))
    assert token_hash(web.token) in hashes and web.token not in hashes
    store.tokens.revoke(web.token)
    with pytest.raises(AuthenticationError):
        store.tokens.session(web.token)
    now = dt.datetime.now(dt.UTC)
    _backdate(store, last_used_at=now - dt.timedelta(minutes=31))
    with pytest.raises(AuthenticationError):  # idle too long
        store.tokens.session(other.token)
    _backdate(store, last_used_at=now, expires_at=now - dt.timedelta(seconds=1))
    with pytest.raises(AuthenticationError):  # past its absolute end
        store.tokens.session(other.token)
    with pytest.raises(AuthenticationError):
        store.tokens.session("made-up")


def test_access_and_api_tokens(store: Store) -> None:
    store.accounts.add_user("a@example.org", "registrar", PASSWORD)
    me = store.accounts.authenticate("a@example.org", PASSWORD)
    access = store.tokens.create_access_token(me)
    assert access.expires_at - dt.datetime.now(dt.UTC) <= dt.timedelta(minutes=15)
    api = store.tokens.create_api_token(me, "lab feed")
    assert store.tokens.bearer(access.token).role is Role.REGISTRAR
    assert store.tokens.bearer(api.token).email == "a@example.org"
    assert [t.name for t in store.tokens.list_tokens(me)] == ["lab feed"]
    store.tokens.revoke_id(me, api.id)
    with pytest.raises(AuthenticationError):
        store.tokens.bearer(api.token)
    _backdate(store, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    with pytest.raises(AuthenticationError):
        store.tokens.bearer(access.token)
    session = store.tokens.create_session(me)
    with pytest.raises(AuthenticationError):  # a session cookie is not a bearer token
        store.tokens.bearer(session.token)
    with pytest.raises(InvalidInputError):
        store.tokens.create_api_token(me, "")


def test_invitation_is_single_use_expiring_and_revocable(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, HYPER).record_id
    other_rid = store.records.create(doc, HYPER).record_id
    invitation = store.tokens.invite(doc, rid)
    patient_session = store.tokens.redeem(invitation.token)
    patient = store.tokens.session(patient_session.token).principal()
    assert (patient.role, patient.record_id, patient.user_id) == (Role.PATIENT, rid, None)
    assert store.records.get(patient, rid).case == HYPER
    assert [r.record_id for r in store.records.list(patient).items] == [rid]
    with pytest.raises(RecordNotFound):
        store.records.get(patient, other_rid)
    with pytest.raises(AuthenticationError):  # single use
        store.tokens.redeem(invitation.token)

    revoked = store.tokens.invite(doc, rid)
    store.tokens.revoke_id(doc, revoked.id)
    with pytest.raises(AuthenticationError):
        store.tokens.redeem(revoked.token)

    expired = store.tokens.invite(doc, rid, lifetime=dt.timedelta(seconds=-1))
    with pytest.raises(AuthenticationError):
        store.tokens.redeem(expired.token)

    with pytest.raises(RecordNotFound):  # only on a record one may invite to
        store.tokens.invite(people["other"], rid)
    with pytest.raises(RecordNotFound):
        store.tokens.invite(people["registrar"], rid)
