"""Signing in over the API: the OAuth2 password flow, 401 with ``WWW-Authenticate: Bearer``, lock-out, expiry and
revocation of tokens, API tokens for integrations, and a patient's invitation."""

from __future__ import annotations

import datetime as dt

import pytest

from metastasis.store import Store
from tests.api_store.conftest import PASSWORD, SQLITE_ONLY, YAML, audit_rows, bearer, hypercalcaemia_yaml

GENERIC = "the email, password or token was not accepted"


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def assert_401(response, *, given: bool = True) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    (item,) = response.json()["detail"]
    assert item["field"] == "Authorization"
    if given:
        assert item["message"] == GENERIC


def test_password_flow_gives_a_bearer_token_that_works(client, people):
    answer = sign_in(client, "doc@example.org")
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    listed = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert listed.status_code == 200 and listed.json()["total"] == 0


@SQLITE_ONLY
def test_without_a_token_401_asks_for_bearer(client):
    response = client.get("/api/v1/cases")
    assert_401(response, given=False)
    assert response.headers["www-authenticate"] == 'Bearer realm="metastasis"'


@pytest.mark.parametrize("header", ["Bearer not-a-token", "Bearer " + "x" * 5000, "Basic dXNlcjpwdw=="])
@SQLITE_ONLY
def test_a_bad_token_is_401_and_audited(client, store: Store, header):
    response = client.get("/api/v1/cases", headers={"Authorization": header, "X-Request-ID": "bad-token-1"})
    if header.startswith("Basic"):
        assert_401(response, given=False)  # not a bearer token at all: refused before the store is asked
        assert audit_rows(store, "bad-token-1") == []
        return
    assert_401(response)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    (row,) = audit_rows(store, "bad-token-1")
    assert (row.action, row.outcome, row.user_id) == ("authenticate", "denied", None)


def test_wrong_password_and_unknown_email_answer_alike(client, people):
    wrong = sign_in(client, "doc@example.org", "not the password at all")
    unknown = sign_in(client, "nobody@example.org")
    for response in (wrong, unknown):
        assert_401(response)
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_lock_out_after_five_failures_refuses_even_the_right_password(client, people):
    for _ in range(5):
        assert sign_in(client, "doc@example.org", "wrong password, again").status_code == 401
    assert_401(sign_in(client, "doc@example.org"))


def test_a_disabled_account_cannot_sign_in_and_its_tokens_stop(client, store: Store, callers):
    assert client.get("/api/v1/cases", headers=callers["doc"].headers).status_code == 200
    store.accounts.set_active("doc@example.org", False)
    assert_401(client.get("/api/v1/cases", headers=callers["doc"].headers))
    assert_401(sign_in(client, "doc@example.org"))


@SQLITE_ONLY
def test_missing_form_field_is_422_naming_it(client):
    response = client.post("/api/v1/auth/token", data={"username": "doc@example.org"})
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["detail"]] == ["password"]


def test_an_expired_token_is_refused(client, store: Store, people):
    expired = store.tokens.create_api_token(people["doc"], "old", lifetime=dt.timedelta(seconds=-1))
    assert_401(client.get("/api/v1/cases", headers={"Authorization": f"Bearer {expired.token}"}))


def test_signing_out_revokes_the_token(client, callers):
    headers = callers["doc"].headers
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert_401(client.get("/api/v1/cases", headers=headers))


def test_api_tokens_are_shown_once_listed_and_revocable(client, callers):
    doc = callers["doc"].headers
    created = client.post("/api/v1/auth/api-tokens", json={"name": "registry export"}, headers=doc)
    assert created.status_code == 201
    issued = created.json()
    token_headers = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/v1/cases", headers=token_headers).status_code == 200
    (listed,) = client.get("/api/v1/auth/api-tokens", headers=doc).json()
    assert listed["name"] == "registry export" and listed["revoked_at"] is None and "token" not in listed
    # someone else's token cannot be revoked (or even confirmed to exist)
    other = client.delete(f"/api/v1/auth/api-tokens/{issued['id']}", headers=callers["other"].headers)
    assert other.status_code == 404 and other.json()["detail"][0]["field"] == "token_id"
    assert client.get("/api/v1/cases", headers=token_headers).status_code == 200
    assert client.delete(f"/api/v1/auth/api-tokens/{issued['id']}", headers=doc).status_code == 204
    assert_401(client.get("/api/v1/cases", headers=token_headers))
    (listed,) = client.get("/api/v1/auth/api-tokens", headers=doc).json()
    assert listed["revoked_at"] is not None


@SQLITE_ONLY
def test_api_token_name_is_checked(client, callers):
    response = client.post("/api/v1/auth/api-tokens", json={"name": ""}, headers=callers["doc"].headers)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "name"


def test_an_invitation_gives_a_patient_read_only_token_once(client, store: Store, callers):
    doc = callers["doc"].headers
    created = client.post("/api/v1/cases", content=hypercalcaemia_yaml(), headers={**doc, **YAML}).json()
    invited = client.post(f"/api/v1/cases/{created['id']}/invitations", headers=doc)
    assert invited.status_code == 201
    path = invited.json()["path"]
    assert path.startswith("/invite/")
    token = path.removeprefix("/invite/")
    opened = client.post("/api/v1/auth/invitation", json={"invitation": token})
    assert opened.status_code == 200 and opened.json()["expires_in"] == 2 * 3600
    patient = {"Authorization": f"Bearer {opened.json()['access_token']}"}
    assert client.get(f"/api/v1/cases/{created['id']}", headers=patient).status_code == 200
    assert client.get(f"/api/v1/cases/{created['id']}/report?format=markdown", headers=patient).status_code == 200
    put = client.put(
        f"/api/v1/cases/{created['id']}", content=hypercalcaemia_yaml(), headers={**patient, **YAML, "If-Match": '"1"'}
    )
    assert put.status_code == 404  # read-only: the record is not there for writing
    assert client.post("/api/v1/auth/api-tokens", json={"name": "x"}, headers=patient).status_code == 403
    assert_401(client.post("/api/v1/auth/invitation", json={"invitation": token}))  # single use


def test_a_revoked_invitation_cannot_be_opened(client, callers):
    doc = callers["doc"].headers
    created = client.post("/api/v1/cases", content=hypercalcaemia_yaml(), headers={**doc, **YAML}).json()
    invited = client.post(f"/api/v1/cases/{created['id']}/invitations", headers=doc).json()
    path = f"/api/v1/cases/{created['id']}/invitations/{invited['id']}"
    assert client.delete(path, headers=callers["other"].headers).status_code == 404
    revoked = client.delete(path, headers=doc)
    assert revoked.status_code == 204
    assert_401(client.post("/api/v1/auth/invitation", json={"invitation": invited["path"].removeprefix("/invite/")}))


def test_bearer_helper_tokens_are_distinct(store: Store, people):
    assert bearer(store, people["doc"]) != bearer(store, people["doc"])


def test_token_changes_are_audited(client, store: Store, callers):
    doc, other = callers["doc"].headers, callers["other"].headers

    def rows(rid: str) -> list[tuple]:
        return [(r.action, r.outcome, r.user_id, r.record_id, r.detail) for r in audit_rows(store, rid)]

    made = client.post("/api/v1/auth/api-tokens", json={"name": "x"}, headers={**doc, "X-Request-ID": "t-1"}).json()
    doc_id, other_id = callers["doc"].principal.user_id, callers["other"].principal.user_id
    assert rows("t-1") == [("api_token_create", "allowed", doc_id, None, f"api token {made['id']}")]
    client.delete(f"/api/v1/auth/api-tokens/{made['id']}", headers={**other, "X-Request-ID": "t-2"})
    assert rows("t-2") == [("api_token_revoke", "denied", other_id, None, f"api token {made['id']}")]
    case = client.post("/api/v1/cases", content=hypercalcaemia_yaml(), headers={**doc, **YAML}).json()["id"]
    invitation = client.post(f"/api/v1/cases/{case}/invitations", headers=doc).json()["id"]
    client.delete(f"/api/v1/cases/{case}/invitations/{invitation}", headers={**other, "X-Request-ID": "t-3"})
    assert rows("t-3") == [("invitation_revoke", "denied", other_id, case, f"invitation {invitation}")]
    client.delete("/api/v1/auth/token", headers={**doc, "X-Request-ID": "t-4"})
    assert rows("t-4") == [("logout", "allowed", doc_id, None, None)]
