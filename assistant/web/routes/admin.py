"""Administration (admins only): users, the effective settings, the audit log (view and CSV export), purge now."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from assistant.privacy.retention import purge_expired
from assistant.security import users as user_admin
from assistant.security.deps import CurrentUser, SessionDep, get_store
from assistant.security.services import app_services
from assistant.store import crud
from assistant.store.models import AccessRequest, AuditEntry
from assistant.web.csv_export import csv_response
from assistant.web.static_files import STATIC_DIR

api_router = APIRouter(prefix="/api/admin", tags=["admin"])
page_router = APIRouter(tags=["pages"], include_in_schema=False)

Role = Literal["caseworker", "supervisor", "admin"]
RequestId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The access request's number")]
SECRET_SETTINGS = {"secret_key", "oidc_client_secret", "database_url"}
"""Settings never shown (the database URL may carry a password)."""


class UserPublic(BaseModel):
    username: str
    display_name: str
    role: str
    unit: str
    active: bool
    has_password: bool
    created_at: datetime


class UserList(BaseModel):
    data: list[UserPublic]
    count: int


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")
    role: Role
    display_name: str = Field("", max_length=200)
    unit: str = Field("", max_length=200)
    oidc_only: bool = Field(False, description="No password: the user logs in through OpenID Connect only")


class UserCreated(BaseModel):
    user: UserPublic
    password: str | None = Field(description="The generated password, shown this once")


class UserUpdate(BaseModel):
    active: bool | None = None
    role: Role | None = None
    unit: str | None = Field(None, max_length=200)
    display_name: str | None = Field(None, max_length=200)


class PasswordReset(BaseModel):
    password: str = Field(description="The new generated password, shown this once")


class AccessRequestPublic(BaseModel):
    id: int
    kind: Literal["create", "role", "password"]
    username: str
    role: str | None
    unit: str | None
    status: str
    requested_by: str | None
    requested_at: datetime
    message: str = Field(description="What happens next (Danish)")


class AccessRequestList(BaseModel):
    data: list[AccessRequestPublic]
    count: int


class AccessDecision(BaseModel):
    request: AccessRequestPublic
    password: str | None = Field(description="The account's new password, shown this once to the approving admin")


class AuditPublic(BaseModel):
    id: int
    at: datetime
    username: str
    action: str
    object_type: str
    object_id: str
    detail: str


class AuditList(BaseModel):
    data: list[AuditPublic]
    count: int


class PurgeResult(BaseModel):
    cutoff: datetime
    calls: int
    utterances: int
    turn_signals: int
    suggestions: int
    draft_versions: int
    notes: int
    review_comments: int


def _user_public(user) -> UserPublic:  # noqa: ANN001
    return UserPublic(username=user.username, display_name=user.display_name, role=user.role, unit=user.unit or "",
                      active=user.active, has_password=bool(user.password_hash), created_at=user.created_at)


def _request_public(request: AccessRequest) -> AccessRequestPublic:
    message = {"pending": "Venter på godkendelse af en anden administrator.", "approved": "Godkendt og gennemført.",
               "rejected": "Afvist."}[request.status]
    return AccessRequestPublic(id=request.id, kind=request.kind, username=request.username, role=request.role,
                               unit=request.unit, status=request.status, message=message,
                               requested_by=request.requested_by.username if request.requested_by else None,
                               requested_at=request.requested_at)


def _accepted(request: AccessRequest) -> JSONResponse:
    """202: the change waits for a second admin."""
    return JSONResponse(status_code=202, content=_request_public(request).model_dump(mode="json"))


@api_router.get("/users", response_model=UserList, summary="Every user")
def list_users(session: SessionDep, user: CurrentUser) -> UserList:
    rows = [_user_public(u) for u in user_admin.list_users(session)]
    crud.audit(session, user=user, action="view", object_type="user-list")
    return UserList(data=rows, count=len(rows))


@api_router.post("/users", response_model=UserCreated, status_code=201, summary="Create a user",
                 description="A password is generated and returned once (none for OIDC-only users). A supervisor "
                             "or admin is not created at once: the answer is 202 with a request that another "
                             "admin approves (`/api/admin/requests`).",
                 responses={202: {"model": AccessRequestPublic, "description": "Waiting for a second admin"}})
def create_user(body: UserIn, request: Request, session: SessionDep, user: CurrentUser) -> UserCreated | JSONResponse:
    if user_admin.needs_second_admin(None, role=body.role):
        pending = user_admin.request_access(session, actor=user, kind="create", username=body.username,
                                            role=body.role, unit=body.unit, display_name=body.display_name,
                                            oidc_only=body.oidc_only)
        return _accepted(pending)
    settings = app_services(request.app).settings
    created, password = user_admin.add_user(
        session, username=body.username, role=body.role, display_name=body.display_name, unit=body.unit,
        password="" if body.oidc_only else None, min_length=settings.password_min_length, actor=user)
    return UserCreated(user=_user_public(created), password=password)


@api_router.patch("/users/{username}", response_model=UserPublic, summary="Disable/enable a user, change role or unit",
                  description="Any change ends the user's current logins. An admin cannot change their own role or "
                              "disable themselves (409 admin-own-account). A supervisor or admin role, or another unit for a "
                              "supervisor, is not applied at once: the answer is 202 with a request that another "
                              "admin approves; the other fields of the same change are applied.",
                  responses={202: {"model": AccessRequestPublic, "description": "Waiting for a second admin"}})
def update_user(username: str, body: UserUpdate, session: SessionDep, user: CurrentUser) -> UserPublic | JSONResponse:
    target = user_admin.find_user(session, username)
    user_admin.refuse_own_account(user, username, role=body.role, active=body.active)
    pending = None
    if user_admin.needs_second_admin(target, role=body.role, unit=body.unit):
        pending = user_admin.request_access(session, actor=user, kind="role", username=username,
                                            role=body.role or target.role, unit=body.unit)
        body = body.model_copy(update={"role": None, "unit": None})
    if body.active is not None and body.active != target.active:
        user_admin.set_active(session, username=username, active=body.active, actor=user)
    changes = []
    for field in ("role", "unit", "display_name"):
        value = getattr(body, field)
        if value is not None and value != getattr(target, field):
            setattr(target, field, value)
            changes.append(f"{field}={value}")
    if changes:
        crud.audit(session, user=user, action="update", object_type="user", object_id=username, detail=", ".join(changes))
    session.flush()
    return _accepted(pending) if pending is not None else _user_public(target)


@api_router.post("/users/{username}/password", response_model=PasswordReset, summary="Reset a user's password",
                 description="Generates a new password (returned once); the user's current logins end. For a "
                             "supervisor or admin (who can read call content or grant it) the answer is 202 with a "
                             "request: the approving admin gets the password.",
                 responses={202: {"model": AccessRequestPublic, "description": "Waiting for a second admin"}})
def reset_password(username: str, request: Request, session: SessionDep, user: CurrentUser) -> PasswordReset | JSONResponse:
    target = user_admin.find_user(session, username)
    if target.role in user_admin.SECOND_ADMIN_ROLES and target.username != user.username:
        return _accepted(user_admin.request_access(session, actor=user, kind="password", username=username))
    password = user_admin.reset_password(session, username=username,
                                         min_length=app_services(request.app).settings.password_min_length, actor=user)
    assert password is not None
    return PasswordReset(password=password)


@api_router.get("/requests", response_model=AccessRequestList, summary="Changes waiting for a second admin")
def list_requests(session: SessionDep, user: CurrentUser) -> AccessRequestList:
    rows = [_request_public(r) for r in user_admin.pending_requests(session)]
    crud.audit(session, user=user, action="view", object_type="access-requests")
    return AccessRequestList(data=rows, count=len(rows))


@api_router.post("/requests/{request_id}/approve", response_model=AccessDecision,
                 summary="Approve another admin's request (applies it)",
                 description="Only an admin other than the requester may approve (409 request-own). When the account has a "
                             "password it gets a new one, returned here once.")
def approve_request(request_id: RequestId, request: Request, session: SessionDep, user: CurrentUser) -> AccessDecision:
    decided, password = user_admin.decide_request(session, request_id=request_id, approve=True, actor=user,
                                                  min_length=app_services(request.app).settings.password_min_length)
    return AccessDecision(request=_request_public(decided), password=password)


@api_router.post("/requests/{request_id}/reject", response_model=AccessDecision,
                 summary="Reject another admin's request")
def reject_request(request_id: RequestId, session: SessionDep, user: CurrentUser) -> AccessDecision:
    decided, _ = user_admin.decide_request(session, request_id=request_id, approve=False, actor=user)
    return AccessDecision(request=_request_public(decided), password=None)


@api_router.get("/settings", summary="The effective settings (secrets left out)")
def effective_settings(request: Request, session: SessionDep, user: CurrentUser) -> dict:
    data = app_services(request.app).settings.model_dump(mode="json")
    for key in SECRET_SETTINGS:
        if data.get(key):
            data[key] = "***"
    crud.audit(session, user=user, action="view", object_type="settings")
    return data


def _audit_rows(session, *, limit: int, action: str | None, object_type: str | None,  # noqa: ANN001
                username: str | None, since: datetime | None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if username:
        query = query.where(AuditEntry.username == username)
    if since:
        query = query.where(AuditEntry.at >= since)
    return list(session.scalars(query))


def _audit_public(entry: AuditEntry) -> AuditPublic:
    return AuditPublic(id=entry.id, at=entry.at, username=entry.username, action=entry.action,
                       object_type=entry.object_type, object_id=entry.object_id, detail=entry.detail)


@api_router.get("/audit", response_model=AuditList, summary="The audit log, newest first")
def audit_log(session: SessionDep, user: CurrentUser,
              limit: int = Query(200, ge=1, le=5000), action: str | None = Query(None, max_length=40),
              object_type: str | None = Query(None, max_length=40), username: str | None = Query(None, max_length=80),
              since: datetime | None = Query(None, description="Only entries at or after this time")) -> AuditList:
    rows = [_audit_public(e) for e in _audit_rows(session, limit=limit, action=action, object_type=object_type,
                                                  username=username, since=since)]
    crud.audit(session, user=user, action="view", object_type="audit-log")
    return AuditList(data=rows, count=len(rows))


@api_router.get("/audit/export.csv", response_class=Response, summary="The audit log as CSV",
                responses={200: {"content": {"text/csv": {}}}})
def audit_export(session: SessionDep, user: CurrentUser, limit: int = Query(100_000, ge=1, le=1_000_000),
                 since: datetime | None = Query(None)) -> Response:
    rows = _audit_rows(session, limit=limit, action=None, object_type=None, username=None, since=since)
    table = [[e.id, e.at.isoformat(), e.username, e.action, e.object_type, e.object_id, e.detail]
             for e in reversed(rows)]
    crud.audit(session, user=user, action="export", object_type="audit-log", detail=f"{len(rows)} rækker")
    return csv_response(["id", "at", "username", "action", "object_type", "object_id", "detail"], table,
                        filename="auditlog.csv")


@api_router.post("/purge", response_model=PurgeResult, summary="Delete data older than the retention period now")
def purge(request: Request, session: SessionDep, user: CurrentUser) -> PurgeResult:
    from dataclasses import asdict

    session.info.pop("assistant_row_scope", None)  # the purge works on every call, not the admin's (empty) view
    report = purge_expired(session, retention_days=app_services(request.app).settings.retention_days)
    crud.audit(session, user=user, action="purge", object_type="retention", detail=report.summary())
    session.commit()  # the deleted rows must be committed before they can be erased from the files
    get_store(request).erase_deleted_content()
    return PurgeResult(**asdict(report))


@page_router.get("/admin")
def admin_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "admin.html", media_type="text/html")
