// The note editor: link the case, pick the outcome, read the note rendered, edit its Markdown on demand,
// save, approve, export. Nothing is registered automatically.
"use strict";

(function () {
  const { api, el, formatTime, showError, danishDate, renderMarkdown } = Review;
  const callId = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
  const base = "/api/notes/" + encodeURIComponent(callId);
  let note = null;
  let loadedText = "";  // the text as last loaded or saved: anything else in the editor is unsaved

  const $ = (id) => document.getElementById(id);
  function status(text, kind = "ok") { $("status").replaceChildren(el("p", { className: kind, role: kind === "error" ? "alert" : null, text })); }

  function showRendered() { $("note-view").replaceChildren(renderMarkdown($("note-text").value)); }

  function deadlineItem(name, deadline) {
    let state;
    if (deadline.done_on) state = deadline.passed ? `overholdt for sent (${danishDate(deadline.done_on)})` : `overholdt (${danishDate(deadline.done_on)})`;
    else state = deadline.passed ? "overskredet" : "ikke overskredet endnu";
    return el("li", { className: deadline.passed ? "passed" : "", "data-deadline": name }, [
      el("strong", { text: `${name} senest ${deadline.due_text}` }), " – ", state,
    ]);
  }

  function renderCase(data) {
    const c = data.case;
    if (!c) { $("case-deadlines").replaceChildren(); return; }
    $("case-reference").value = c.reference;
    $("case-received").value = c.received_date;
    $("case-decision").value = c.decision_date || "";
    $("case-acknowledged").value = c.acknowledged_at ? c.acknowledged_at.slice(0, 10) : "";
    $("case-deadlines").replaceChildren(
      deadlineItem("Kvittering", c.acknowledgement),
      deadlineItem("Svar", c.answer),
      el("li", { className: "muted", text: `Klagen modtaget ${c.received_text}; fristerne tæller ${c.working_days ? "arbejdsdage (uden helligdage)" : "kalenderdage"}.` }));
  }

  function render(data) {
    note = data;
    const current = data.current;
    const select = $("outcome");
    if (!select.options.length) for (const o of data.outcomes) select.append(el("option", { value: o.value, text: o.label }));
    select.value = current.outcome || "uafklaret";
    $("note-text").value = current.markdown;
    loadedText = current.markdown;
    showRendered();
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
    renderCase(data);
    $("versions").replaceChildren(el("ul", {}, data.versions.map((v) => el("li", {
      text: `Version ${v.version}: ${v.status === "approved" ? "godkendt " + formatTime(v.approved_at) : "kladde, senest gemt " + formatTime(v.updated_at)}`,
    }))));
  }

  async function run(action, message) {
    try { render(await action()); status(message); }
    catch (error) { status("Fejl: " + error.message, "error"); }
  }

  // A new draft replaces the open draft's text: ask first when that text holds the caseworker's changes.
  function mayRedraft() {
    const unsaved = $("note-text").value !== loadedText;
    const draft = note && note.current.status === "draft";
    if (!draft || !(unsaved || note.current_edited)) return true;
    return window.confirm("Et nyt udkast erstatter notatets tekst, også dine rettelser" +
      (unsaved ? " (nogle er ikke gemt)" : "") + ". Vil du lave et nyt udkast?");
  }

  function toggleSource() {
    const button = $("toggle-source");
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Skjul Markdown" : "Redigér teksten (Markdown)";
    $("note-source").hidden = !open;
    $("note-panes").classList.toggle("split", open);  // source and rendered note side by side
    if (open) $("note-text").focus();
  }

  function saveBody() { return { markdown: $("note-text").value, outcome: $("outcome").value }; }

  document.addEventListener("DOMContentLoaded", async () => {
    $("toggle-source").addEventListener("click", toggleSource);
    $("note-text").addEventListener("input", showRendered);
    $("save").addEventListener("click", () => run(() => api(base, { method: "PUT", body: saveBody() }), "Kladden er gemt."));
    $("regenerate").addEventListener("click", () => {
      if (!mayRedraft()) { status("Intet nyt udkast: dine rettelser er bevaret.", "muted"); return; }
      run(() => api(base + "/regenerate", { method: "POST", body: { outcome: $("outcome").value } }), "Nyt udkast lavet.");
    });
    $("approve").addEventListener("click", async () => {
      // Approve exactly what is on screen: save the text first, then approve that version.
      await run(async () => {
        const saved = await api(base, { method: "PUT", body: saveBody() });
        return api(base + "/approve", { method: "POST", body: { version: saved.current.version } });
      }, "Notatet er godkendt og kan nu eksporteres.");
    });
    $("acknowledged-today").addEventListener("click", () => {
      if (note) $("case-acknowledged").value = note.started_at.slice(0, 10);
    });
    $("case-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api(base + "/case", { method: "PUT", body: {
          reference: $("case-reference").value, received_date: $("case-received").value,
          decision_date: $("case-decision").value || null, acknowledged_date: $("case-acknowledged").value || null,
        } });
        const fresh = await api(base);
        renderCase(fresh);
        note = { ...note, case: fresh.case };
        status("Sagen er gemt. Lav et nyt udkast for at få sagsnummer og frister med i notatet.");
      } catch (error) { status("Fejl: " + error.message, "error"); }
    });
    try { render(await api(base)); }
    catch (error) { showError($("status"), error); }
  });
})();
