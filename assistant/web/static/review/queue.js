// The review queue and the list of stored calls.
"use strict";

(function () {
  const { api, el, formatTime, showError } = Review;

  function flagBadges(flags) {
    return flags.map((f) => el("span", { className: "badge sev-" + f.severity, title: (f.evidence || []).join(", "), text: f.label }));
  }

  async function loadQueue() {
    const target = document.getElementById("queue");
    try {
      const queue = await api("/api/review/queue");
      if (!queue.count) { target.replaceChildren(el("p", { className: "muted", text: "Ingen opkald med flag." })); return; }
      const rows = queue.data.map((item) => el("tr", { "data-call": item.call_id }, [
        el("td", {}, el("a", { href: "/review/calls/" + encodeURIComponent(item.call_id), text: formatTime(item.started_at) })),
        el("td", { text: item.case_reference || "–" }),
        el("td", {}, flagBadges(item.flags)),
        el("td", {}, el("ul", {}, item.reasons.map((r) => el("li", { text: r })))),
        el("td", { text: item.outcome_label || "–" }),
        el("td", { className: "review-status " + item.review_status, text: item.review_status_label }),
      ]));
      target.replaceChildren(el("table", { id: "queue-table" }, [
        el("thead", {}, el("tr", {}, ["Tidspunkt", "Sag", "Flag", "Begrundelse", "Udfald", "Gennemgang"].map((h) => el("th", { text: h })))),
        el("tbody", {}, rows),
      ]));
    } catch (error) { showError(target, error); }
  }

  async function loadCalls() {
    const target = document.getElementById("calls");
    try {
      const calls = await api("/api/review/calls");
      if (!calls.count) { target.replaceChildren(el("p", { className: "muted", text: "Ingen opkald gemt endnu." })); return; }
      const statusText = { running: "I gang", ended: "Afsluttet", interrupted: "Afbrudt", failed: "Fejlet" };
      const noteText = VOCABULARY.note_statuses;
      target.replaceChildren(el("table", {}, [
        el("thead", {}, el("tr", {}, ["Tidspunkt", "Sag", "Status", "Replikker", "Notat", "Opkald"].map((h) => el("th", { text: h })))),
        el("tbody", {}, calls.data.map((c) => el("tr", {}, [
          el("td", { text: formatTime(c.started_at) }),
          el("td", { text: c.case_reference || "–" }),
          el("td", { text: statusText[c.status] || c.status }),
          el("td", { text: c.turns }),
          el("td", { text: noteText[c.note_status] || "–" }),
          el("td", {}, el("a", { href: "/review/calls/" + encodeURIComponent(c.call_id), text: "Gennemgå" })),
        ]))),
      ]));
    } catch (error) { showError(target, error); }
  }

  document.addEventListener("DOMContentLoaded", () => { loadQueue(); loadCalls(); });
})();
