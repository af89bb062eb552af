"""Signing in over the API: the OAuth2 password flow, a patient's invitation, API tokens for integrations.

=========================================  =====================================================================
``POST /auth/token``                       form ``username`` (email) + ``password`` -> a 15-minute access token
``DELETE /auth/token``                     revoke the bearer token sent (sign out)
``POST /auth/invitation``                  ``{"invitation": token}`` -> a read-only patient token for one record
``POST /auth/api-tokens``                  ``{"name"}`` -> a named, revocable 1-year token (shown once)
``GET /auth/api-tokens``                   the caller's API tokens (without the tokens)
``DELETE /auth/api-tokens/{token_id}``     revoke one of them
=========================================  =====================================================================

A wrong password, an unknown email, a locked or disabled account all answer the same 401 (the store's lock-out
and its audit rows apply). No ``from __future__ import annotations`` here: FastAPI reads the annotations.
"""

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordRequestForm
from starlette.concurrency import run_in_threadpool

from metastasis.api.auth import UNAUTHORIZED, CurrentPrincipal, bearer_token
from metastasis.api.bounded import TOO_LARGE, BoundedRequest, BoundedRoute
from metastasis.api.deps import get_store, request_id
from metastasis.api.errors import ApiError, ErrorBody, ErrorItem
from metastasis.api.store_audit import audit_event
from metastasis.api.store_models import (
    AUTHED,
    FORBIDDEN,
    AccessToken,
    ApiTokenIn,
    ApiTokenIssued,
    ApiTokenListed,
    InvitationIn,
)
from metastasis.store import AccessDenied, Role
from metastasis.store.tokens import ACCESS_LIFETIME, PATIENT_SESSION

TAG = "auth"


class FormRoute(BoundedRoute):
    """A route whose form body is read through :class:`BoundedRequest` first (at most a megabyte), so the form
    parser never sees more."""

    def get_route_handler(self):  # type: ignore[no-untyped-def]
        handler = APIRoute.get_route_handler(self)

        async def read_first(request: Request) -> Response:
            bounded = BoundedRequest(request.scope, request.receive)
            await bounded.body()
            return await handler(bounded)

        return read_first


async def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> AccessToken:
    """Sign in with an email (`username`) and password (OAuth2 password flow): a bearer token for 15 minutes.

    A wrong email or password, or a locked or disabled account, answers 401 with one message that does not say
    which. After 5 failures in a row the account is locked for a minute, doubling with each further failure.
    """
    store = get_store(request)
    me = await run_in_threadpool(
        store.accounts.authenticate, form.username, form.password, request_id=request_id(request)
    )
    issued = await run_in_threadpool(store.tokens.create_access_token, me)
    return AccessToken(access_token=issued.token, expires_in=int(ACCESS_LIFETIME.total_seconds()))


async def revoke_token(request: Request, me: CurrentPrincipal) -> Response:
    """Sign out: the bearer token sent stops working (an access token, API token or patient token)."""
    sent, store = bearer_token(request), get_store(request)
    if sent:
        await run_in_threadpool(store.tokens.revoke, sent)
        await run_in_threadpool(audit_event, store, me, "logout", request_id=request_id(request))
    return Response(status_code=204)


async def redeem_invitation(request: Request, body: InvitationIn) -> AccessToken:
    """Open an invitation (once): a read-only bearer token for the one case record it is for, for 2 hours.

    An unknown, expired, revoked or already used invitation answers 401.
    """
    store = get_store(request)
    session = await run_in_threadpool(store.tokens.redeem, body.invitation, request_id=request_id(request))
    return AccessToken(access_token=session.token, expires_in=int(PATIENT_SESSION.total_seconds()))


def _user(me: CurrentPrincipal) -> None:
    if me.role is Role.PATIENT or me.user_id is None:
        raise AccessDenied("only a signed-in user may manage API tokens")


async def create_api_token(request: Request, body: ApiTokenIn, me: CurrentPrincipal) -> ApiTokenIssued:
    """A named API token for an integration, acting as you, for a year unless revoked. The token is shown here
    once and never again."""
    _user(me)
    store = get_store(request)
    issued = await run_in_threadpool(store.tokens.create_api_token, me, body.name)
    detail = f"api token {issued.id}"
    await run_in_threadpool(audit_event, store, me, "api_token_create", request_id=request_id(request), detail=detail)
    return ApiTokenIssued(id=issued.id, name=body.name.strip(), token=issued.token, expires_at=issued.expires_at)


async def list_api_tokens(request: Request, me: CurrentPrincipal) -> list[ApiTokenListed]:
    """Your API tokens, revoked ones included (without the tokens themselves)."""
    _user(me)
    views = await run_in_threadpool(get_store(request).tokens.list_tokens, me)
    return [ApiTokenListed.model_validate(v.model_dump()) for v in views if v.kind == "api"]


async def revoke_api_token(
    request: Request, me: CurrentPrincipal, token_id: Annotated[int, Path(description="The token's id.")]
) -> Response:
    """Revoke one of your API tokens: it stops working at once."""
    _user(me)
    store = get_store(request)
    views = await run_in_threadpool(store.tokens.list_tokens, me)
    mine = any(v.id == token_id and v.kind == "api" for v in views)
    rid, detail = request_id(request), f"api token {token_id}"
    await run_in_threadpool(audit_event, store, me, "api_token_revoke", allowed=mine, request_id=rid, detail=detail)
    if not mine:
        allowed, message = "the id of one of your API tokens", f"no API token {token_id} of yours"
        raise ApiError(404, [ErrorItem(field="token_id", value=token_id, allowed=allowed, message=message)])
    await run_in_threadpool(store.tokens.revoke_id, me, token_id)
    return Response(status_code=204)


RouteRow = tuple[str, Callable[..., Any], str, Any, int, str, dict[int | str, dict[str, Any]]]
"""(path, endpoint, method, response model, status code, operation id, documented error answers)."""


def add_route_table(
    router: APIRouter, routes: Sequence[RouteRow], tag: str, extra: Callable[[Callable[..., Any]], Any] = lambda _: None
) -> None:
    """Add each row of a route table to ``router`` under ``tag`` (``extra(endpoint)``: its ``openapi_extra``)."""
    for path, endpoint, method, model, status, name, errors in routes:
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            response_model=model,
            status_code=status,
            tags=[tag],
            responses=errors,
            openapi_extra=extra(endpoint),
            operation_id=name,
            name=f"api.{name}",
        )


def add_auth_routes(router: APIRouter) -> None:
    """Add the sign-in routes to ``router``."""
    bad_login = {401: {**UNAUTHORIZED[401], "description": "Email or password not accepted (one message for all)."}}
    router.add_api_route(
        "/auth/token",
        token,
        methods=["POST"],
        response_model=AccessToken,
        tags=[TAG],
        responses={**bad_login, **TOO_LARGE},
        route_class_override=FormRoute,
        operation_id="auth_token",
        name="api.auth_token",
    )
    routes = (
        ("/auth/token", revoke_token, "DELETE", None, 204, "auth_token_revoke", AUTHED),
        ("/auth/invitation", redeem_invitation, "POST", AccessToken, 200, "auth_invitation", bad_login),
        ("/auth/api-tokens", create_api_token, "POST", ApiTokenIssued, 201, "api_tokens_create", AUTHED | FORBIDDEN),
        ("/auth/api-tokens", list_api_tokens, "GET", list[ApiTokenListed], 200, "api_tokens_list", AUTHED | FORBIDDEN),
    )
    add_route_table(router, routes, TAG)
    not_yours = {404: {"model": ErrorBody, "description": "Not one of your API tokens."}}
    router.add_api_route(
        "/auth/api-tokens/{token_id}",
        revoke_api_token,
        methods=["DELETE"],
        status_code=204,
        tags=[TAG],
        responses=AUTHED | FORBIDDEN | not_yours,
        operation_id="api_token_revoke",
        name="api.api_token_revoke",
    )
