"""Read what the side-panel shows, and what it should show for a sequence of analyses, in the same shape."""

from __future__ import annotations

import math
import re

READ_PANEL_JS = """() => {
  const q = (s) => document.querySelector(s);
  const all = (s) => Array.from(document.querySelectorAll(s));
  const text = (node) => (node ? node.textContent : "");
  return {
    lastSeq: Number(document.body.dataset.lastSeq || 0),
    seqs: window.assistantPanel.state.seqs.slice(),
    connection: q("#connection").dataset.state,
    status: q("#call-status").dataset.status,
    light: q("#light").dataset.level,
    reasons: all("#light-all-reasons li").map(text),
    shortReasons: all("#light-reasons li").map(text),
    meter: q("#meter").dataset.level,
    meterLabel: text(q("#meter-label")),
    words: all("#meter-words .word").map(text),
    nudge: q("#nudge").dataset.shown === "true" ? text(q("#nudge-text")) : null,
    guidance: all("#guidance .flag").map((f) => ({
      kind: f.dataset.kind, raised: f.dataset.raised === "true", visible: !f.hidden,
      advice: text(f.querySelector(".advice")), evidence: text(f.querySelector(".evidence")),
    })),
    suggestions: all("#suggestions .suggestion").map((c) => ({
      suggestion_id: c.dataset.suggestionId, kind: c.dataset.kind,
      text: text(c.querySelector(".text")), reason: c.dataset.reason, visible: !c.hidden,
      stale: c.dataset.stale === "true",
    })),
    points: all("#points .point").map((p) => ({
      point_id: p.dataset.pointId, category: p.dataset.category, gist: text(p.querySelector(".gist")),
      summarised: p.dataset.summarised === "true", ticked: p.querySelector("input").checked,
      state: text(p.querySelector(".point-state")),
    })),
    coaching: {
      open: text(q("#coach-open")), closed: text(q("#coach-closed")), leading: text(q("#coach-leading")),
      summaries: text(q("#coach-summaries")), share: text(q("#coach-share")),
    },
    lines: all("#transcript .line").map((l) => ({
      utterance_id: l.dataset.utteranceId, speaker: l.dataset.speaker,
      text: text(l.querySelector(".text")), final: l.dataset.final === "true",
    })),
    errors: all("#errors .error").map((e) => ({ code: e.dataset.code || null, message: text(e.querySelector(".msg")) })),
  };
}"""

GUIDANCE_ORDER = ("threat", "language_barrier", "health_barrier", "decision_complaint", "many_points", "representative")
"""The order of "Vigtigst nu" (panel.js): a threat first, then barriers, then a decision complaint."""


def read_panel(page) -> dict:
    return page.evaluate(READ_PANEL_JS)


def wait_for_seq(page, seq: int, *, timeout_ms: int = 60_000) -> None:
    page.wait_for_function("n => Number(document.body.dataset.lastSeq || 0) >= n", arg=seq, timeout=timeout_ms)


def _quote(text: str) -> str:
    words = text.split()
    return " ".join(words[:9]) + " …" if len(words) > 9 else " ".join(words)


def spoken_evidence(evidence: list[str], texts: list[str], *, quote_if_none: bool = True) -> list[str]:
    """The evidence the panel shows: the items the turns' text holds, else (for a flag) a quote of the last turn."""
    haystack = "\n".join(texts).lower()
    written = [re.sub(r"\s+([,.!?;:])", r"\1", item or "") for item in evidence]  # "ved , hvor" → "ved, hvor"
    found = [item for item in written if item and item.lower() in haystack]
    return found if found or not texts or not quote_if_none else [_quote(texts[-1])]


def _advice(kind: str, text: str) -> str:
    """The guidance text under its flag's name, without repeating the name ("Trussel: …" → "…")."""
    from assistant.vocabulary import FLAGS

    prefix = f"{FLAGS.get(kind, kind).lower()}:"
    return text[len(prefix):].strip() if text.lower().startswith(prefix) else text


def _keep_order(previous: list[str], now: list[str]) -> list[str]:
    """Ids in the order the panel shows them: known ones where they were, new ones appended."""
    return [i for i in previous if i in now] + [i for i in now if i not in previous]


class PanelModel:
    """What the panel must show after each turn, computed from the analyses the server returned."""

    def __init__(self) -> None:
        self.turn_texts: dict[int, str] = {}
        self.citizen_turn: dict | None = None
        self.suggestion_slots: list[tuple[dict, bool]] = []  # (suggestion, stale) in the panel's slots
        self.point_order: list[str] = []

    def expect(self, turn_index: int, text: str, update: dict, *, dismissed: frozenset[str] = frozenset()) -> dict:
        self.turn_texts[turn_index] = text
        turn = update["turn"]
        if turn["speaker"] == "citizen" and turn["frustration"] is not None:
            self.citizen_turn = turn
        call, coaching = update["call"], update["coaching"]
        guidance = {s["reason"]: s for s in update["suggestions"]
                    if s["kind"] == "guidance" and s["reason"] in GUIDANCE_ORDER}
        kinds = sorted({f["kind"] for f in call["flags"]} | set(guidance),
                       key=lambda k: GUIDANCE_ORDER.index(k) if k in GUIDANCE_ORDER else len(GUIDANCE_ORDER))
        flags = {f["kind"]: f for f in call["flags"]}
        shown = [s for s in update["suggestions"] if s["suggestion_id"] not in dismissed
                 and not (s["kind"] == "guidance" and s["reason"] in GUIDANCE_ORDER)]
        self._fill_slots(shown, dismissed)
        self.point_order = _keep_order(self.point_order, [p["point_id"] for p in call["complaint_points"]])
        points = {p["point_id"]: p for p in call["complaint_points"]}
        citizen = self.citizen_turn
        return {
            "light": update["assessment"]["level"],
            "reasons": update["assessment"]["reasons"],
            "meter": str(citizen["frustration"]) if citizen else "none",
            "words": spoken_evidence(citizen["evidence"], [self.turn_texts[citizen["index"]]], quote_if_none=False)
            if citizen else [],
            "nudge": coaching["nudge"],
            "guidance": [{"kind": k, "raised": k in flags,
                          "evidence": self._evidence_line(flags[k]) if k in flags else "",
                          "advice": f" – {_advice(k, guidance[k]['text'])}" if k in guidance else ""} for k in kinds],
            "suggestions": [{"suggestion_id": s["suggestion_id"], "kind": s["kind"], "text": s["text"],
                             "reason": s["reason"], "stale": stale} for s, stale in self.suggestion_slots],
            "points": [{"point_id": i, "category": points[i]["category"], "gist": points[i]["gist"],
                        "summarised": points[i]["summarised"]} for i in self.point_order],
            "coaching": {"open": str(coaching["open_questions"]), "closed": str(coaching["closed_questions"]),
                         "leading": str(coaching["leading_questions"]), "summaries": str(coaching["summaries"]),
                         "share": f"{math.floor(coaching['citizen_talk_share'] * 100 + 0.5)} %"},  # JS Math.round
        }

    def _fill_slots(self, shown: list[dict], dismissed: frozenset[str]) -> None:
        """panel.js: a slot keeps its card; a card no longer offered stays (stale) until a new one takes its
        slot; the remaining new ones are appended; dismissed cards are removed."""
        by_id = {s["suggestion_id"]: s for s in shown}
        slots = [(s, stale) for s, stale in self.suggestion_slots if s["suggestion_id"] not in dismissed]
        present = {s["suggestion_id"] for s, _ in slots}
        fresh = [s for s in shown if s["suggestion_id"] not in present]
        filled = []
        for suggestion, _ in slots:
            if suggestion["suggestion_id"] in by_id:
                filled.append((by_id[suggestion["suggestion_id"]], False))
            elif fresh:
                filled.append((fresh.pop(0), False))
            else:
                filled.append((suggestion, True))
        self.suggestion_slots = filled + [(s, False) for s in fresh]

    def _evidence_line(self, flag: dict) -> str:
        texts = [self.turn_texts[i] for i in flag["turns"] if i in self.turn_texts]
        quotes = spoken_evidence(flag["evidence"], texts)
        return ("Belæg: " + ", ".join(f"“{w}”" for w in quotes)) if quotes else ""


def shown_analysis(panel: dict) -> dict:
    """The analysis part of `read_panel`'s result, in `PanelModel.expect`'s shape."""
    keys = ("light", "reasons", "meter", "words", "nudge", "coaching")
    shown = {key: panel[key] for key in keys}
    shown["guidance"] = [{k: v for k, v in g.items() if k != "visible"} for g in panel["guidance"]]
    shown["suggestions"] = [{k: v for k, v in s.items() if k != "visible"} for s in panel["suggestions"]]
    shown["points"] = [{k: v for k, v in p.items() if k not in ("ticked", "state")} for p in panel["points"]]
    return shown
