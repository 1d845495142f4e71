// The note editor: link the case, pick the outcome, edit, save, approve, export. Nothing is registered automatically.
"use strict";

(function () {
  const { api, el, formatTime, showError } = Review;
  const callId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
  const base = "/api/notes/" + encodeURIComponent(callId);
  let note = null;

  const $ = (id) => document.getElementById(id);
  function status(text, kind = "ok") { $("status").replaceChildren(el("p", { className: kind, role: kind === "error" ? "alert" : null, text })); }

  function render(data) {
    note = data;
    const current = data.current;
    const select = $("outcome");
    if (!select.options.length) for (const o of data.outcomes) select.append(el("option", { value: o.value, text: o.label }));
    select.value = current.outcome || "uafklaret";
    $("note-text").value = current.markdown;
    const approved = current.status === "approved";
    $("version-info").textContent = `version ${current.version} · ${approved ? "godkendt " + formatTime(current.approved_at) : "kladde"}`;
    $("approve").disabled = approved;
    for (const fmt of ["md", "pdf", "docx"]) {
      const link = $("export-" + fmt);
      if (data.approved_version) {
        link.setAttribute("href", `${base}/export?format=${fmt}&version=${data.approved_version}`);
        link.setAttribute("aria-disabled", "false");
      } else {
        link.removeAttribute("href");
        link.setAttribute("aria-disabled", "true");
      }
    }
    if (data.case) {
      $("case-reference").value = data.case.reference;
      $("case-received").value = data.case.received_date;
      $("case-decision").value = data.case.decision_date || "";
      $("case-info").textContent = `Kvittering senest ${data.case.acknowledgement_deadline}, svar senest ${data.case.answer_deadline}.`;
    }
    $("versions").replaceChildren(el("ul", {}, data.versions.map((v) => el("li", {
      text: `Version ${v.version}: ${v.status === "approved" ? "godkendt " + formatTime(v.approved_at) : "kladde, senest gemt " + formatTime(v.updated_at)}`,
    }))));
  }

  async function run(action, message) {
    try { render(await action()); status(message); }
    catch (error) { status("Fejl: " + error.message, "error"); }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    $("save").addEventListener("click", () => run(() => api(base, { method: "PUT", body: { markdown: $("note-text").value, outcome: $("outcome").value } }), "Kladden er gemt."));
    $("regenerate").addEventListener("click", () => run(() => api(base + "/regenerate", { method: "POST", body: { outcome: $("outcome").value } }), "Nyt udkast lavet."));
    $("approve").addEventListener("click", async () => {
      // Approve exactly what is on screen: save the text first, then approve that version.
      await run(async () => {
        const saved = await api(base, { method: "PUT", body: { markdown: $("note-text").value, outcome: $("outcome").value } });
        return api(base + "/approve", { method: "POST", body: { version: saved.current.version } });
      }, "Notatet er godkendt og kan nu eksporteres.");
    });
    $("case-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api(base + "/case", { method: "PUT", body: { reference: $("case-reference").value, received_date: $("case-received").value, decision_date: $("case-decision").value || null } });
        status("Sagen er gemt. Lav et nyt udkast for at få sagsnummer og frister med i notatet.");
        render(await api(base));
      } catch (error) { status("Fejl: " + error.message, "error"); }
    });
    try { render(await api(base)); }
    catch (error) { showError($("status"), error); }
  });
})();
