"""Draft the telephone note (telefonnotat) of a call: the structure of offentlighedsloven § 13, in Danish."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from assistant import vocabulary
from assistant.analysis.types import CallSignals
from assistant.dates import danish_date, dates_for_relative_days, first_relative_day
from assistant.masking import mask_personal_data
from assistant.notes import rules
from assistant.notes.template import render_template
from assistant.review.evidence import locate, sentence_around

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
OUTCOME_TEXTS = {
    "lagt_ned": "Borgeren trak klagen tilbage i samtalen. Tilbagetrækningen bekræftes skriftligt over for borgeren.",
    "skriftligt_svar": "Borgeren fastholder klagen og ønsker et skriftligt svar.",
    "genvurdering": "Borgeren fastholder klagen over afgørelsen. Klagen sendes til genvurdering i kommunen.",
    "uafklaret": "Uafklaret: der er ikke taget stilling til klagen i samtalen (se aftaler).",
}
NOTE_OUTCOMES = tuple(vocabulary.NOTE_OUTCOMES)
THREAT_STEPS = {
    "threat": ("Orientér nærmeste leder om truslen, og registrér hændelsen efter kommunens procedure for vold "
               "og trusler."),
    "self_harm": ("Følg kommunens procedure ved bekymring for selvskade: orientér nærmeste leder samme dag "
                  "(ved akut fare: 112)."),
}
COMPLAINT_DEADLINE_DAYS = 28  # 4 weeks


@dataclass(frozen=True)
class NoteOptions:
    """How the note is drafted.

    Attributes:
        max_account_sentences: How many of the citizen's sentences the condensed account keeps.
        max_explanations: How many of the caseworker's explaining sentences are kept.
        max_sentence_chars: Longer sentences are cut (with "…") to keep the note short.
        today: The date the note is drafted (deadlines); today when None (tests pin it).
    """

    max_account_sentences: int = 8
    max_explanations: int = 6
    max_sentence_chars: int = 280
    today: date | None = None


class NoteTurn(BaseModel):
    speaker: str
    text: str


class CallRecord(BaseModel):
    """Everything the note is drafted from (loaded from the store, or built from a transcript in tests)."""

    call_id: str
    started_at: datetime
    ended_at: datetime | None = None
    direction: str = "outgoing"
    citizen_informed: bool = False
    caseworker_name: str = ""
    case_reference: str | None = None
    received_date: date | None = None
    decision_date: date | None = None
    answer_deadline: date | None = None
    turns: list[NoteTurn] = Field(default_factory=list)
    signals: CallSignals | None = None
    outcome_detail: str | None = None


class NotePoint(BaseModel):
    category: str
    label: str
    gist: str


class NoteAgreement(BaseModel):
    """An agreement as the note states it (third person, relative days as dates)."""

    who: str
    what: str = Field(description="The statement: 'Sagsbehandleren sender borgeren svaret inden fredag den …'")
    when: str = Field("", description="The time as said in the call ('inden fredag')")
    due: date | None = Field(None, description="The date `when` means, counted from the call's date")


class NoteThreat(BaseModel):
    """A threat (or words about self-harm) in the call, and what the caseworker did about it."""

    quotes: list[str] = Field(description="The citizen's sentences with the threat, as said (CPR-masked)")
    self_harm: bool = Field(description="The words were about harming oneself, not others")
    call_ended: bool = Field(description="The caseworker ended the call after the threat")
    manager_informed: bool = Field(description="The caseworker said the manager is told")


class NoteGuidance(BaseModel):
    """Complaint guidance for a complaint about a decision."""

    deadline: date
    deadline_text: str
    base_text: str
    given_in_call: dict[str, bool]


class NoteDraft(BaseModel):
    """The structured draft; `render_markdown` turns it into the text the caseworker edits."""

    call_id: str
    case_reference: str | None
    complaint_kind: str | None
    complaint_kind_label: str
    date_text: str
    start_time: str
    end_time: str
    direction_text: str
    participants: list[str]
    citizen_informed: bool
    threat: NoteThreat | None = None
    health_barrier: bool = False
    health_quotes: list[str] = Field(default_factory=list, description="What the citizen said that raised the "
                                                                        "health barrier (whole sentences)")
    citizen_account: list[str]
    caseworker_explanations: list[str]
    complaint_points: list[NotePoint]
    guidance: NoteGuidance | None
    agreements: list[NoteAgreement]
    outcome: str
    outcome_text: str
    next_steps: list[str]
    author: str
    drafted_on: str


def _local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(LOCAL_TZ)


def _short(sentence: str, limit: int) -> str:
    sentence = mask_personal_data(sentence.strip())
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _citizen_account(record: CallRecord, options: NoteOptions) -> list[str]:
    """The citizen's own words, condensed: sentences from the turns the complaint points came from,
    else the citizen's longer sentences."""
    citizen_turns = [(i, t.text) for i, t in enumerate(record.turns) if t.speaker == "citizen"]
    point_turns = {turn for p in (record.signals.complaint_points if record.signals else []) for turn in p.turns}
    chosen = [(i, text) for i, text in citizen_turns if i in point_turns] or citizen_turns
    picked: list[str] = []
    for _, text in chosen:
        for sentence in rules.sentences(text):
            if sentence.endswith("?") or len(sentence.split()) < 5:
                continue  # questions and short replies say little about the citizen's account
            if len(picked) < options.max_account_sentences:
                picked.append(_short(sentence, options.max_sentence_chars))
    return picked


def _participants(record: CallRecord) -> list[str]:
    people = [f"Sagsbehandler: {record.caseworker_name or 'sagsbehandleren'}", "Borgeren (klager)"]
    signals = record.signals
    if signals is None:
        return people
    for flag in signals.flags:
        evidence = ", ".join(mask_personal_data(e) for e in flag.evidence[:3])
        if flag.kind == "representative":
            people.append(f"Repræsentant/bisidder nævnt i samtalen ({evidence})" if evidence
                          else "Repræsentant/bisidder nævnt i samtalen")
    if signals.language_barrier or any(f.kind == "language_barrier" for f in signals.flags):
        said = " ".join(t.text.lower() for t in record.turns)
        people.append("Tolk: ikke til stede; sprogbarriere konstateret – tolk er aftalt til næste samtale"
                      if "tolk" in said else "Tolk: ikke til stede; sprogbarriere konstateret")
    return people


def _guidance(record: CallRecord, kind: str | None, points: list[NotePoint], today: date) -> NoteGuidance | None:
    decision = kind in ("afgoerelse", "blandet") or any(p.category == "afgoerelse" for p in points)
    if record.signals is not None:
        decision = decision or any(f.kind == "decision_complaint" for f in record.signals.flags)
    else:  # no analysis stored: fall back to the decision cues in the transcript
        decision = rules.mentions_decision([(t.speaker, t.text) for t in record.turns])
    if not decision:
        return None
    if record.decision_date:
        base, base_text = record.decision_date, f"regnet fra afgørelsens dato {danish_date(record.decision_date)}"
    elif record.received_date:
        base, base_text = record.received_date, (f"regnet fra klagens modtagelse {danish_date(record.received_date)}"
                                                 " – ret datoen, hvis afgørelsen er modtaget tidligere")
    else:
        base = _local(record.started_at).date() if record.started_at else today
        base_text = f"regnet fra samtalens dato {danish_date(base)} – ret datoen til afgørelsens modtagelse"
    deadline = base + timedelta(days=COMPLAINT_DEADLINE_DAYS)
    turns = [(t.speaker, t.text) for t in record.turns]
    return NoteGuidance(deadline=deadline, deadline_text=danish_date(deadline), base_text=base_text,
                        given_in_call=rules.guidance_given(turns))


def _agreements(turns: list[tuple[str, str]], call_date: date, options: NoteOptions) -> list[NoteAgreement]:
    """Agreements as the note's own statements: third person, relative days as dates from the call's date."""
    found = []
    for agreement in rules.extract_agreements(turns):
        speaker = turns[agreement.turn][0]
        stated = rules.third_person(dates_for_relative_days(agreement.what, call_date), speaker)
        found.append(NoteAgreement(who=agreement.who, what=_short(stated, options.max_sentence_chars),
                                   when=agreement.when, due=first_relative_day(agreement.what, call_date)))
    return found


def _flag_sentences(record: CallRecord, kind: str, *, limit: int = 4) -> tuple[list[str], list[int]]:
    """The sentences of the transcript holding the evidence of the flag `kind` (CPR-masked), and their turns."""
    texts = [(i, t.text) for i, t in enumerate(record.turns)]
    quotes: list[str] = []
    turns: list[int] = []
    for flag in (f for f in (record.signals.flags if record.signals else []) if f.kind == kind):
        own = [(i, text) for i, text in texts if i in set(flag.turns)]
        for evidence in flag.evidence:
            found = locate(evidence, own + texts)
            if found is None:
                continue
            sentence = mask_personal_data(sentence_around(record.turns[found.turn_index].text, found.start, found.end))
            turns.append(found.turn_index)
            if sentence not in quotes and len(quotes) < limit:
                quotes.append(sentence)
    return quotes, turns


def _threat(record: CallRecord) -> NoteThreat | None:
    """The threat in the call as the citizen said it, and whether the caseworker ended the call for it."""
    signals = record.signals
    if signals is None or not (signals.threat or any(f.kind == "threat" for f in signals.flags)):
        return None
    quotes, threat_turns = _flag_sentences(record, "threat")
    later_caseworker = [t.text for t in record.turns[min(threat_turns, default=0):] if t.speaker == "caseworker"]
    return NoteThreat(quotes=quotes, self_harm=any(rules.about_self_harm(q) for q in quotes),
                      call_ended=any(rules.ends_call(text) for text in later_caseworker),
                      manager_informed=any(rules.informs_manager(text) for text in later_caseworker))


def _health_barrier(signals: CallSignals | None) -> bool:
    return bool(signals and (signals.health_barrier or any(f.kind == "health_barrier" for f in signals.flags)))


def _next_steps(outcome: str, agreements: list[NoteAgreement], record: CallRecord,
                guidance: NoteGuidance | None, *, threat: NoteThreat | None = None) -> list[str]:
    steps = []
    if threat is not None:
        steps.append(THREAT_STEPS["self_harm" if threat.self_harm else "threat"])
    steps += [a.what for a in agreements if a.due or a.when]
    if outcome == "lagt_ned":
        steps.append("Send borgeren en skriftlig bekræftelse af, at klagen er trukket tilbage.")
    elif outcome == "skriftligt_svar":
        when = f" senest {danish_date(record.answer_deadline)}" if record.answer_deadline else ""
        steps.append(f"Besvar klagen skriftligt{when}.")
    elif outcome == "genvurdering":
        steps.append("Genvurder afgørelsen. Fastholdes den, sendes klagen med sagens akter til Ankestyrelsen.")
    else:
        steps.append("Følg op med borgeren, og afklar om klagen fastholdes.")
    if guidance is not None and not all(guidance.given_in_call.values()):
        steps.append("Send skriftlig klagevejledning (klagefrist, genvurdering, Ankestyrelsen).")
    return steps


def draft_note(record: CallRecord, options: NoteOptions | None = None) -> NoteDraft:
    """Draft the telephone note of a call. Every text is CPR-masked.

    Args:
        record: The call: times, case, transcript and the analysis' latest call signals.
        options: Drafting options; defaults when None.

    Returns:
        The structured `NoteDraft` (render it with `render_markdown`).
    """
    options = options or NoteOptions()
    today = options.today or datetime.now(LOCAL_TZ).date()
    turns = [(t.speaker, t.text) for t in record.turns]
    signals = record.signals
    points = [NotePoint(category=p.category, label=vocabulary.label(vocabulary.COMPLAINT_CATEGORIES, p.category),
                        gist=_short(p.gist, options.max_sentence_chars))
              for p in (signals.complaint_points if signals else [])]
    threat = _threat(record)
    kind = signals.complaint_kind if signals else None
    outcome = record.outcome_detail if record.outcome_detail in NOTE_OUTCOMES else rules.classify_outcome(turns)[1]
    agreements = _agreements(turns, _local(record.started_at).date(), options)
    guidance = _guidance(record, kind, points, today)
    start, end = _local(record.started_at), _local(record.ended_at) if record.ended_at else None
    direction = ("Sagsbehandleren ringede til borgeren." if record.direction == "outgoing"
                 else "Borgeren ringede til sagsbehandleren.")
    return NoteDraft(
        call_id=record.call_id, case_reference=record.case_reference, complaint_kind=kind,
        complaint_kind_label=vocabulary.label(vocabulary.COMPLAINT_KINDS, kind, default="Ikke fastlagt"),
        date_text=danish_date(start.date()), start_time=start.strftime("%H.%M"),
        end_time=end.strftime("%H.%M") if end else "–", direction_text=direction,
        participants=_participants(record), citizen_informed=record.citizen_informed, threat=threat,
        health_barrier=_health_barrier(signals), health_quotes=_flag_sentences(record, "health_barrier", limit=2)[0],
        citizen_account=_citizen_account(record, options),
        caseworker_explanations=[_short(rules.third_person(s, "caseworker"), options.max_sentence_chars)
                                 for s in rules.extract_explanations(turns, limit=options.max_explanations)],
        complaint_points=points, guidance=guidance, agreements=agreements, outcome=outcome,
        outcome_text=OUTCOME_TEXTS[outcome],
        next_steps=_next_steps(outcome, agreements, record, guidance, threat=threat),
        author=record.caseworker_name or "sagsbehandleren", drafted_on=danish_date(today),
    )


def render_markdown(draft: NoteDraft) -> str:
    """The note as Markdown, from the template prompts/notes/telefonnotat.md.j2 (CPR-masked)."""

    text = render_template("telefonnotat.md.j2", note=draft)
    return mask_personal_data(re.sub(r"\n{3,}", "\n\n", text).strip() + "\n")
