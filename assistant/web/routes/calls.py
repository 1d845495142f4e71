"""Calls: start, list, inspect, end, inject text turns, and record what the caseworker did with suggestions."""

from __future__ import annotations

from fastapi import APIRouter, status
from starlette.concurrency import run_in_threadpool

from assistant.events import SuggestionAction
from assistant.security.deps import IdentityDep
from assistant.security.services import ServicesDep
from assistant.session import CallRequest, CallSnapshot
from assistant.web.deps import CallDep, ManagerDep
from assistant.web.ended_calls import ended_call_snapshot, ended_call_summaries
from assistant.web.errors import ErrorBody
from assistant.web.models import CallList, CallSummary, SuggestionActionIn, TurnIn, TurnResult

router = APIRouter(prefix="/calls", tags=["calls"])

_NOT_FOUND = {404: {"model": ErrorBody, "description": "Unknown call id (code call-not-found)"}}


@router.post(
    "",
    response_model=CallSnapshot,
    status_code=status.HTTP_201_CREATED,
    summary="Start a call",
    description=(
        "Starts a call from a recording (`file`, paced at real time unless `realtime` is false), a capture "
        "device on the server (`device`), a remote capture client (`stream`: send audio on "
        "`WS /calls/{id}/audio`) or typed turns (`text`: `POST /calls/{id}/turns`). Events follow on "
        "`WS /calls/{id}/events`."
    ),
    responses={400: {"model": ErrorBody, "description": "The file or device cannot be opened"},
               503: {"model": ErrorBody, "description": "The model or device is unavailable"}},
)
async def start_call(request: CallRequest, manager: ManagerDep, identity: IdentityDep) -> CallSnapshot:
    session = await manager.start_call(request, owner=identity.username)  # only the owner may follow it
    return session.snapshot()


@router.get("", response_model=CallList, summary="List calls",
            description="The logged-in caseworker's calls this server has run since it started, newest first "
                        "(running ones from memory, ended ones from the store).")
async def list_calls(manager: ManagerDep, identity: IdentityDep, services: ServicesDep) -> CallList:
    rows = []
    for call in manager.calls():
        if call.owner == identity.username:
            rows.append(CallSummary(
                call_id=call.call_id, status=call.status, source=call.snapshot().source, started_at=call.started_at,
                ended_at=call.ended_at, turns=len(call.utterances), last_seq=len(call.history),
                level=call.last_analysis.assessment.level if call.last_analysis else None,
            ))
    running = {row.call_id for row in rows}
    ended = await run_in_threadpool(ended_call_summaries, services, username=identity.username,
                                    since=manager.started_at)
    rows += [row for row in ended if row.call_id not in running]
    rows.sort(key=lambda row: row.started_at, reverse=True)
    return CallList(data=rows, count=len(rows))


@router.get("/{call_id}", response_model=CallSnapshot, summary="The state of a call so far",
            description="Transcript, latest analysis (signals, assessment, suggestions, coaching) and status. "
                        "An ended call is read from the store: its transcript (until the retention purge), "
                        "no live analysis.",
            responses=_NOT_FOUND)
async def get_call(call_id: str, manager: ManagerDep, identity: IdentityDep, services: ServicesDep) -> CallSnapshot:
    call = manager.find(call_id)
    if call is not None:
        return call.snapshot()
    return await run_in_threadpool(ended_call_snapshot, services, call_id, username=identity.username)


@router.post("/{call_id}/end", response_model=CallSnapshot, summary="End a call",
             description="Stops the source, finishes the utterances already heard and publishes `call-end`. "
                         "Ending an ended call is a no-op.",
             responses=_NOT_FOUND)
async def end_call(call_id: str, manager: ManagerDep, identity: IdentityDep, services: ServicesDep) -> CallSnapshot:
    call = manager.find(call_id)
    if call is None:
        return await run_in_threadpool(ended_call_snapshot, services, call_id, username=identity.username)
    await call.end("stopped")
    return call.snapshot()


@router.post("/{call_id}/turns", response_model=TurnResult, summary="Add a typed turn",
             description="Injects a text utterance as if it had been transcribed, and returns its analysis.",
             responses={**_NOT_FOUND, 409: {"model": ErrorBody, "description": "The call has ended"}})
async def add_turn(turn: TurnIn, call: CallDep) -> TurnResult:
    update = await call.add_text(turn.speaker, turn.text, language=turn.language)
    return TurnResult(analysis=update, last_seq=len(call.history))


@router.post("/{call_id}/suggestions/{suggestion_id}", response_model=SuggestionAction,
             summary="Record what was done with a suggestion",
             description="The panel reports a suggestion card that was used, copied or dismissed. Kept on the "
                         "call and published as a `suggestion-action` event, to measure which suggestions help.",
             responses={404: {"model": ErrorBody, "description": "Unknown call or suggestion id"}})
async def suggestion_action(suggestion_id: str, body: SuggestionActionIn, call: CallDep) -> SuggestionAction:
    return await call.record_suggestion_action(suggestion_id, body.action)
