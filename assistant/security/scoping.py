"""Row scoping in the store: a request's database session sees only the calls its user may see.

`scope_session(session, identity)` marks a session; a `do_orm_execute` hook then adds criteria to every
ORM SELECT of calls and of what hangs off a call (transcript, signals, flags, suggestions, notes; cases for
supervisors):
a caseworker sees their own calls, a supervisor the calls of caseworkers in their unit, an admin none. A
supervisor without a unit sees none either: "no unit" is not a unit, so a supervisor created without one
must not read the calls of every caseworker who has none.
Queries the routes already make (lists, statistics, `session.get`) are narrowed without changing them;
a call outside the scope answers like an unknown call (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, false, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from assistant.store.models import Call, CallFlag, ComplaintCase, Note, SuggestionRow, TurnSignal, User, UtteranceRow

SCOPE_KEY = "assistant_row_scope"


@dataclass(frozen=True)
class RowScope:
    """Whose calls a session may read.

    Attributes:
        user_id: The caseworker's own id (caseworker scope), else None.
        unit: The supervisor's unit (supervisor scope), else None.
        nothing: No call content at all (admins).
    """

    user_id: int | None = None
    unit: str | None = None
    nothing: bool = False


def scope_for(*, role: str, user_id: int, unit: str) -> RowScope:
    if role == "caseworker":
        return RowScope(user_id=user_id)
    if role == "supervisor":
        return RowScope(unit=unit) if unit else RowScope(nothing=True)
    return RowScope(nothing=True)


def scope_session(session: Session, scope: RowScope) -> None:
    """Narrow every later ORM SELECT in `session` to `scope` (expires what the session already loaded)."""
    session.info[SCOPE_KEY] = scope
    session.expire_all()


def _visible_call_ids(scope: RowScope):  # noqa: ANN202

    calls, users = Call.__table__, User.__table__
    if scope.nothing:
        return None
    if scope.user_id is not None:
        return select(calls.c.id).where(calls.c.caseworker_id == scope.user_id)
    in_unit = select(users.c.id).where(users.c.unit == scope.unit, users.c.unit != "")
    return select(calls.c.id).where(calls.c.caseworker_id.in_(in_unit))


def _criteria(scope: RowScope) -> list:
    visible = _visible_call_ids(scope)
    if visible is None:
        return [with_loader_criteria(entity, false(), include_aliases=True)
                for entity in (Call, CallFlag, ComplaintCase, Note, SuggestionRow, TurnSignal, UtteranceRow)]
    calls = Call.__table__
    options = [with_loader_criteria(Call, Call.id.in_(visible), include_aliases=True)]
    if scope.user_id is None:
        # A supervisor's deadline report covers the unit's cases. A caseworker is not narrowed here: a
        # colleague may already have linked a call to the same case number (which holds no call content).
        cases = select(calls.c.case_id).where(calls.c.id.in_(visible), calls.c.case_id.is_not(None))
        options.append(with_loader_criteria(ComplaintCase, ComplaintCase.id.in_(cases), include_aliases=True))
    for entity in (CallFlag, Note, SuggestionRow, TurnSignal, UtteranceRow):
        options.append(with_loader_criteria(entity, entity.call_id.in_(visible), include_aliases=True))
    return options


@event.listens_for(Session, "do_orm_execute")
def _apply_row_scope(state: ORMExecuteState) -> None:
    scope = state.session.info.get(SCOPE_KEY)
    if scope is None or not state.is_select or state.is_column_load:
        return
    state.statement = state.statement.options(*_criteria(scope))
