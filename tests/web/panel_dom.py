"""Read what the side-panel shows, and what it should show for an analysis, in the same shape."""

from __future__ import annotations

import math

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
    reasons: all("#light-reasons li").map(text),
    meter: q("#meter").dataset.level,
    words: all("#meter-words .word").map(text),
    nudge: q("#nudge").hidden ? null : text(q("#nudge-text")),
    suggestions: all("#suggestions .suggestion").map((c) => ({
      suggestion_id: c.dataset.suggestionId, kind: c.dataset.kind,
      text: text(c.querySelector(".text")), reason: c.dataset.reason, visible: !c.hidden,
    })),
    points: all("#points .point").map((p) => ({
      point_id: p.dataset.pointId, category: p.dataset.category, gist: text(p.querySelector(".gist")),
      summarised: p.dataset.summarised === "true", ticked: p.querySelector("input").checked,
    })),
    flags: all("#flags .flag").map((f) => ({ kind: f.dataset.kind, evidence: text(f.querySelector(".evidence")) })),
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


def read_panel(page) -> dict:
    return page.evaluate(READ_PANEL_JS)


def wait_for_seq(page, seq: int, *, timeout_ms: int = 60_000) -> None:
    page.wait_for_function("n => Number(document.body.dataset.lastSeq || 0) >= n", arg=seq, timeout=timeout_ms)


def expected_panel(update: dict, last_citizen_turn: dict | None, *, dismissed: frozenset[str] = frozenset()) -> dict:
    """What the panel must show after `update` (an `AnalysisUpdate` as JSON)."""
    call, coaching = update["call"], update["coaching"]
    return {
        "light": update["assessment"]["level"],
        "reasons": update["assessment"]["reasons"],
        "meter": str(last_citizen_turn["frustration"]) if last_citizen_turn else "none",
        "words": last_citizen_turn["evidence"] if last_citizen_turn else [],
        "nudge": coaching["nudge"],
        "suggestions": [{"suggestion_id": s["suggestion_id"], "kind": s["kind"], "text": s["text"],
                         "reason": s["reason"]} for s in update["suggestions"] if s["suggestion_id"] not in dismissed],
        "points": [{"point_id": p["point_id"], "category": p["category"], "gist": p["gist"],
                    "summarised": p["summarised"]} for p in call["complaint_points"]],
        "flags": [{"kind": f["kind"],
                   "evidence": ("Belæg: " + ", ".join(f"“{w}”" for w in f["evidence"])) if f["evidence"] else ""}
                  for f in call["flags"]],
        "coaching": {"open": str(coaching["open_questions"]), "closed": str(coaching["closed_questions"]),
                     "leading": str(coaching["leading_questions"]), "summaries": str(coaching["summaries"]),
                     "share": f"{math.floor(coaching['citizen_talk_share'] * 100 + 0.5)} %"},  # JS Math.round
    }


def shown_analysis(panel: dict) -> dict:
    """The analysis part of `read_panel`'s result, in `expected_panel`'s shape."""
    keys = ("light", "reasons", "meter", "words", "nudge", "suggestions", "flags", "coaching")
    shown = {key: panel[key] for key in keys}
    shown["suggestions"] = [{k: v for k, v in s.items() if k != "visible"} for s in panel["suggestions"]]
    shown["points"] = [{k: v for k, v in p.items() if k != "ticked"} for p in panel["points"]]
    return shown


def last_citizen_turn(updates: list[dict]) -> dict | None:
    """The latest citizen turn with a frustration level: what the meter shows."""
    turns = [u["turn"] for u in updates if u["turn"]["speaker"] == "citizen" and u["turn"]["frustration"] is not None]
    return turns[-1] if turns else None
