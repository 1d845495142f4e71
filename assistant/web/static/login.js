// Login page: posts the credentials as JSON, then continues to ?next= (a path on this server) or the role's home.
"use strict";

(() => {
  const params = new URLSearchParams(window.location.search);
  const form = document.getElementById("login-form");
  const error = document.getElementById("error");
  const notice = document.getElementById("notice");

  function safeNext(path) {
    return path && path.startsWith("/") && !path.startsWith("//") && !path.includes("\\") ? path : null;
  }

  function show(target, text) {
    target.textContent = text;
    target.hidden = !text;
  }

  if (params.get("link") === "invalid") show(notice, "Login-linket er ugyldigt, brugt eller udløbet. Log ind med brugernavn og adgangskode.");
  if (params.get("link") === "demo-used") {
    // The demo user has no password: say how to get back in instead of showing a form it cannot use.
    show(notice, "Demo-linket er allerede brugt eller udløbet (det virker én gang i 15 minutter). " +
      "Åbn det i den browser, hvor du først brugte det, eller kør 'assistant demo' igen i terminalen " +
      "for at få et nyt link.");
    form.hidden = true;
  }
  if (params.get("logged_out")) show(notice, "Du er logget ud.");

  fetch("/auth/oidc", { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : { enabled: false }))
    .then((info) => {
      if (!info.enabled) return;
      const next = safeNext(params.get("next"));
      document.getElementById("oidc-link").href = "/auth/oidc/login" + (next ? "?next=" + encodeURIComponent(next) : "");
      document.getElementById("oidc").hidden = false;
    })
    .catch(() => {});

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show(error, "");
    const button = document.getElementById("submit");
    button.disabled = true;
    try {
      const response = await fetch("/auth/login", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ username: form.username.value, password: form.password.value }),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        show(error, data.message || "Login mislykkedes.");
        return;
      }
      window.location.assign(safeNext(params.get("next")) || data.home || "/");
    } catch (err) {
      show(error, "Serveren kunne ikke nås: " + err.message);
    } finally {
      button.disabled = false;
    }
  });
})();
