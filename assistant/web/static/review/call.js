// One call for review: summary, frustration curve (inline SVG), flags with verdicts, transcript, note.
"use strict";

(function () {
  const { api, el, svg, formatTime, marked, showError, renderMarkdown, plural } = Review;
  const callId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
  const speakerText = VOCABULARY.speakers;
  const levelText = VOCABULARY.assessment_levels;
  const levelNames = VOCABULARY.frustration_levels;
  const turnAnchor = (index) => "turn-" + (index + 1);

  // Jump to a turn of the transcript and let it stand out for a moment.
  function showTurn(index, event) {
    const target = document.getElementById(turnAnchor(index));
    if (!target) return;
    if (event) event.preventDefault();
    history.replaceState(null, "", "#" + turnAnchor(index));
    target.scrollIntoView({ block: "center" });
    target.classList.add("focus");
    target.focus({ preventScroll: true });
    setTimeout(() => target.classList.remove("focus"), 2500);
  }

  // The citizen's frustration per turn. The x axis runs over the citizen's turns only (no empty stretch for
  // the rest of the call); each point links to its line in the transcript.
  function drawCurve(points) {
    const target = document.getElementById("curve");
    if (!points.length) { target.replaceChildren(el("p", { className: "muted", text: "Ingen frustrationsmålinger." })); return; }
    const width = 560, height = 170, left = 118, right = 16, top = 10, bottom = 26;
    const first = points[0].turn_index, last = points[points.length - 1].turn_index;
    const span = Math.max(1, last - first);
    const x = (t) => points.length === 1 ? (left + width - right) / 2 : left + ((t - first) / span) * (width - left - right);
    const y = (f) => top + (1 - f / 3) * (height - top - bottom);
    const chart = svg("svg", { class: "chart", id: "frustration-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": "Borgerens frustration replik for replik (0 Rolig – 3 " + levelNames[3] + ")" });
    for (let level = 0; level <= 3; level++) {
      chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(level), y2: y(level) }));
      chart.append(svg("text", { class: "label", x: 4, y: y(level) + 4 }, `${level} ${levelNames[level]}`));
    }
    chart.append(svg("text", { class: "label", x: left, y: height - 6 }, `replik ${first + 1}`));
    if (last !== first) chart.append(svg("text", { class: "label", x: width - right, y: height - 6, "text-anchor": "end" }, `replik ${last + 1}`));
    const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.turn_index).toFixed(1)},${y(p.frustration).toFixed(1)}`).join(" ");
    chart.append(svg("path", { class: "line", d: path }));
    for (const p of points) {
      const link = svg("a", { href: "#" + turnAnchor(p.turn_index), class: "point", "data-turn": p.turn_index });
      link.addEventListener("click", (event) => showTurn(p.turn_index, event));
      link.append(svg("title", {}, `Replik ${p.turn_index + 1}: ${p.frustration} – ${levelNames[p.frustration]} (vis i udskriften)`));
      link.append(svg("circle", { class: "hit", cx: x(p.turn_index).toFixed(1), cy: y(p.frustration).toFixed(1), r: 10 }));
      link.append(svg("circle", { class: "dot", cx: x(p.turn_index).toFixed(1), cy: y(p.frustration).toFixed(1), r: 4.5 }));
      chart.append(link);
    }
    target.replaceChildren(chart);
  }

  // Evidence found in the transcript is quoted and links to its line; anything else (a derived reason such as
  // the frustration peak, or a summary) is plain text, never presented as a quote.
  function evidenceList(flag) {
    if (!flag.located.length) return null;
    return el("p", { className: "evidence" }, ["Belæg: ", ...flag.located.flatMap((e, i) => [
      i ? "; " : "",
      e.turn_index === null
        ? el("span", { className: "derived", text: e.text })
        : el("a", { href: "#" + turnAnchor(e.turn_index), onclick: (event) => showTurn(e.turn_index, event) },
          [el("q", { text: e.text }), ` (replik ${e.turn_index + 1})`]),
    ])]);
  }

  function renderFlag(flag) {
    const comment = el("input", { type: "text", placeholder: "Kommentar (valgfri)", "aria-label": "Kommentar til " + flag.label, maxlength: 2000 });
    const state = el("span", { className: "muted" });
    const current = flag.verdict
      ? el("p", { className: "current-verdict", text: `Vurderet: ${flag.verdict.verdict === "right" ? "rigtigt" : "forkert"}` + (flag.verdict.comment ? ` – ${flag.verdict.comment}` : "") })
      : el("p", { className: "current-verdict muted", text: "Ikke vurderet endnu." });
    async function send(verdict) {
      try {
        const updated = await api(`/api/review/calls/${encodeURIComponent(callId)}/flags/${encodeURIComponent(flag.kind)}/verdict`,
          { method: "POST", body: { verdict, comment: comment.value } });
        box.replaceWith(renderFlag(updated));
      } catch (error) { state.textContent = "Fejl: " + error.message; state.className = "error"; }
    }
    const box = el("div", { className: "flag", "data-flag": flag.kind }, [
      el("strong", { text: flag.label }), " ",
      el("span", { className: "badge sev-" + flag.severity, text: "alvor " + flag.severity }),
      evidenceList(flag),
      current,
      el("div", { className: "verdict" }, [
        el("button", { type: "button", className: "verdict-right", onclick: () => send("right"), text: "Rigtigt flag" }),
        el("button", { type: "button", className: "verdict-wrong secondary", onclick: () => send("wrong"), text: "Forkert flag" }),
        comment, state,
      ]),
    ]);
    return box;
  }

  function render(call) {
    document.getElementById("summary").replaceChildren(
      el("h2", { text: "Opkald " + formatTime(call.started_at) }),
      el("p", {}, [
        "Sag: ", el("strong", { text: call.case_reference || "ikke angivet" }),
        " · Slut: ", formatTime(call.ended_at),
        " · Udfald: ", el("strong", { id: "outcome", text: call.outcome_label || "ikke fastlagt" }),
        " · ", plural(call.transcript.length, "replik", "replikker"),
      ]));
    const assessment = document.getElementById("assessment");
    assessment.replaceChildren(
      el("p", { className: "level-" + (call.assessment_level || "none"), text: levelText[call.assessment_level] || "Ingen vurdering" }),
      el("ul", {}, call.assessment_reasons.map((r) => el("li", { text: r }))),
      el("h3", { text: "Klagepunkter" }),
      call.complaint_points.length
        ? el("ul", {}, call.complaint_points.map((p) => el("li", { text: `${p.label}: ${p.gist}` })))
        : el("p", { className: "muted", text: "Ingen klagepunkter fundet." }));
    drawCurve(call.frustration_curve);
    const flags = document.getElementById("flags");
    flags.replaceChildren(...(call.flags.length ? call.flags.map(renderFlag) : [el("p", { className: "muted", text: "Ingen flag." })]));
    document.getElementById("transcript").replaceChildren(...call.transcript.map((turn) => el("div", {
      className: "turn " + turn.speaker, id: turnAnchor(turn.turn_index), tabindex: "-1" }, [
      el("div", { className: "who", text: `${turn.turn_index + 1}. ${speakerText[turn.speaker] || turn.speaker}` + (turn.frustration_label ? ` · frustration ${turn.frustration_label}` : "") }),
      el("div", { className: "text" }, marked(turn.text, turn.highlight_spans)),
    ])));
    const note = document.getElementById("note");
    const status = { approved: "Godkendt af sagsbehandleren", draft: "Kladde – ikke godkendt endnu" };
    note.replaceChildren(...(call.note_markdown
      ? [el("p", { className: "muted", id: "note-status", text: status[call.note_status] || "" }), renderMarkdown(call.note_markdown)]
      : [el("p", { className: "muted", text: "Intet notat endnu." })]));
  }

  document.addEventListener("DOMContentLoaded", async () => {
    try { render(await api("/api/review/calls/" + encodeURIComponent(callId))); }
    catch (error) { showError(document.getElementById("status"), error); }
  });
})();
