// Admin page: users, audit log, purge, settings. Text is inserted with textContent only (never innerHTML).
"use strict";

(() => {
  let csrf = "";
  const $ = (id) => document.getElementById(id);

  async function api(path, { method = "GET", body } = {}) {
    const headers = { Accept: "application/json" };
    if (method !== "GET") headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) { window.location.assign("/login?next=/admin"); throw new Error("Ikke logget ind"); }
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new Error((data && (data.message || data.detail)) || response.statusText);
    return data;
  }

  function cell(text) { const td = document.createElement("td"); td.textContent = text ?? ""; return td; }
  function say(text) { $("message").textContent = text; }

  function button(label, onClick) {
    const b = document.createElement("button");
    b.type = "button"; b.textContent = label; b.addEventListener("click", onClick);
    return b;
  }

  async function loadUsers() {
    const list = await api("/api/admin/users");
    const rows = list.data.map((u) => {
      const tr = document.createElement("tr");
      tr.append(cell(u.username), cell(u.display_name), cell(u.role), cell(u.unit), cell(u.active ? "ja" : "nej"));
      const actions = document.createElement("td");
      actions.append(button(u.active ? "Deaktivér" : "Aktivér", async () => {
        await api(`/api/admin/users/${encodeURIComponent(u.username)}`, { method: "PATCH", body: { active: !u.active } });
        say(`${u.username} er ${u.active ? "deaktiveret" : "aktiveret"}.`);
        loadUsers();
      }), " ", button("Ny adgangskode", async () => {
        const r = await api(`/api/admin/users/${encodeURIComponent(u.username)}/password`, { method: "POST" });
        if (r.status === "pending") { say(`Anmodning ${r.id}: ${r.message}`); loadRequests(); return; }
        say(`Ny adgangskode til ${u.username} (vises kun nu): ${r.password}`);
      }));
      tr.append(actions);
      return tr;
    });
    $("users").replaceChildren(...rows);
  }

  const KIND_LABELS = { create: "Ny bruger", role: "Rolle/enhed", password: "Ny adgangskode" };

  async function decide(request, verdict) {
    try {
      const r = await api(`/api/admin/requests/${request.id}/${verdict}`, { method: "POST" });
      say(r.password ? `Godkendt. Ny adgangskode til ${request.username} (vises kun nu): ${r.password}`
        : `Anmodning ${request.id}: ${r.request.message}`);
      loadRequests();
      loadUsers();
    } catch (err) { say("Fejl: " + err.message); }
  }

  async function loadRequests() {
    const list = await api("/api/admin/requests");
    $("requests").replaceChildren(...list.data.map((r) => {
      const tr = document.createElement("tr");
      tr.append(cell(String(r.id)), cell(KIND_LABELS[r.kind] || r.kind), cell(r.username), cell(r.role), cell(r.unit),
        cell(r.requested_by));
      const actions = document.createElement("td");
      actions.append(button("Godkend", () => decide(r, "approve")), " ", button("Afvis", () => decide(r, "reject")));
      tr.append(actions);
      return tr;
    }));
  }

  async function loadAudit() {
    const form = new FormData($("audit-filter"));
    const params = new URLSearchParams();
    for (const [key, value] of form.entries()) if (value) params.set(key, value);
    const list = await api("/api/admin/audit?" + params.toString());
    $("audit").replaceChildren(...list.data.map((e) => {
      const tr = document.createElement("tr");
      tr.append(cell(new Date(e.at).toLocaleString("da-DK")), cell(e.username), cell(e.action), cell(e.object_type),
        cell(e.object_id), cell(e.detail));
      return tr;
    }));
  }

  async function loadSettings() {
    const settings = await api("/api/admin/settings");
    $("retention").textContent = settings.retention_days;
    $("settings").replaceChildren(...Object.entries(settings).map(([key, value]) => {
      const tr = document.createElement("tr");
      tr.append(cell(key), cell(typeof value === "object" ? JSON.stringify(value) : String(value)));
      return tr;
    }));
  }

  $("new-user").addEventListener("submit", async (event) => {
    event.preventDefault();
    const f = event.target;
    try {
      const r = await api("/api/admin/users", { method: "POST", body: {
        username: f.username.value, display_name: f.display_name.value, role: f.role.value, unit: f.unit.value,
        oidc_only: f.oidc_only.checked } });
      if (r.status === "pending") say(`Anmodning ${r.id}: ${r.message}`);
      else say(r.password ? `Bruger ${r.user.username} oprettet. Adgangskode (vises kun nu): ${r.password}`
        : `Bruger ${r.user.username} oprettet (login via kommunens login).`);
      loadRequests();
      f.reset();
      loadUsers();
    } catch (err) { say("Fejl: " + err.message); }
  });
  $("audit-filter").addEventListener("submit", (event) => { event.preventDefault(); loadAudit().catch((e) => say("Fejl: " + e.message)); });
  $("purge").addEventListener("click", async () => {
    try {
      const r = await api("/api/admin/purge", { method: "POST" });
      say(`Slettet: ${r.utterances} udskriftslinjer, ${r.turn_signals} signaler, ${r.draft_versions} kladder fra ${r.calls} opkald.`);
    } catch (err) { say("Fejl: " + err.message); }
  });
  $("logout").addEventListener("click", async () => {
    await api("/auth/logout", { method: "POST" }).catch(() => null);
    window.location.assign("/login?logged_out=1");
  });

  api("/auth/me").then((me) => {
    csrf = me.csrf_token;
    $("who").textContent = `${me.display_name} (${me.role})`;
    return Promise.all([loadUsers(), loadRequests(), loadAudit(), loadSettings()]);
  }).catch((err) => say("Fejl: " + err.message));
})();
