// One call for review: summary, frustration curve (inline SVG), flags with verdicts, transcript, note.
"use strict";

(function () {
  const { api, el, svg, formatTime, highlighted, showError } = Review;
  const callId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
  const speakerText = { caseworker: "Sagsbehandler", citizen: "Borger", unknown: "Ukendt" };
  const levelText = { green: "Grøn – metoden passer", yellow: "Gul – vær opmærksom", red: "Rød – metoden passer ikke" };

  function drawCurve(points, turns) {
    const target = document.getElementById("curve");
    if (!points.length) { target.replaceChildren(el("p", { className: "muted", text: "Ingen frustrationsmålinger." })); return; }
    const width = 520, height = 200, left = 34, right = 12, top = 12, bottom = 28;
    const maxTurn = Math.max(1, turns - 1);
    const x = (t) => left + (t / maxTurn) * (width - left - right);
    const y = (f) => top + (1 - f / 3) * (height - top - bottom);
    const chart = svg("svg", { class: "chart", id: "frustration-chart", viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": "Borgerens frustration (0–3) replik for replik" });
    for (let level = 0; level <= 3; level++) {
      chart.append(svg("line", { class: "grid", x1: left, x2: width - right, y1: y(level), y2: y(level) }));
      chart.append(svg("text", { class: "label", x: 8, y: y(level) + 4 }, String(level)));
    }
    chart.append(svg("line", { class: "axis", x1: left, x2: width - right, y1: y(0), y2: y(0) }));
    chart.append(svg("text", { class: "label", x: left, y: height - 6 }, "replik 1"));
    chart.append(svg("text", { class: "label", x: width - right - 60, y: height - 6 }, `replik ${turns}`));
    const path = points.map((p, i) => `${i ? "L" : "M"}${x(p.turn_index).toFixed(1)},${y(p.frustration).toFixed(1)}`).join(" ");
    chart.append(svg("path", { class: "line", d: path }));
    for (const p of points) {
      const dot = svg("circle", { class: "dot", cx: x(p.turn_index).toFixed(1), cy: y(p.frustration).toFixed(1), r: 4 });
      dot.append(svg("title", {}, `Replik ${p.turn_index + 1}: frustration ${p.frustration}`));
      chart.append(dot);
    }
    target.replaceChildren(chart);
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
      flag.evidence.length ? el("p", { text: "Belæg: " + flag.evidence.join(", ") }) : null,
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
      ]));
    const assessment = document.getElementById("assessment");
    assessment.replaceChildren(
      el("p", { className: "level-" + (call.assessment_level || "none"), text: levelText[call.assessment_level] || "Ingen vurdering" }),
      el("ul", {}, call.assessment_reasons.map((r) => el("li", { text: r }))),
      el("h3", { text: "Klagepunkter" }),
      call.complaint_points.length
        ? el("ul", {}, call.complaint_points.map((p) => el("li", { text: `${p.label}: ${p.gist}` })))
        : el("p", { className: "muted", text: "Ingen klagepunkter fundet." }));
    drawCurve(call.frustration_curve, call.transcript.length);
    const flags = document.getElementById("flags");
    flags.replaceChildren(...(call.flags.length ? call.flags.map(renderFlag) : [el("p", { className: "muted", text: "Ingen flag." })]));
    document.getElementById("transcript").replaceChildren(...call.transcript.map((turn) => el("div", { className: "turn " + turn.speaker }, [
      el("div", { className: "who", text: `${turn.turn_index + 1}. ${speakerText[turn.speaker] || turn.speaker}` + (turn.frustration !== null ? ` · frustration ${turn.frustration}` : "") }),
      el("div", { className: "text" }, highlighted(turn.text, turn.highlights)),
    ])));
    const note = document.getElementById("note");
    note.replaceChildren(
      call.note_markdown
        ? el("pre", { className: "note", text: call.note_markdown })
        : el("p", { className: "muted", text: "Intet notat endnu." }),
      el("p", {}, el("a", { href: "/notes/" + encodeURIComponent(call.call_id), text: call.note_status === "approved" ? "Se notatet (godkendt)" : "Åbn notatet" })));
  }

  document.addEventListener("DOMContentLoaded", async () => {
    try { render(await api("/api/review/calls/" + encodeURIComponent(callId))); }
    catch (error) { showError(document.getElementById("status"), error); }
  });
})();
