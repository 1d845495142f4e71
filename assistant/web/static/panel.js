// Side-panel: shows one call's events live. Plain JS, no build step; text is only ever set with
// textContent (transcripts are untrusted input), never innerHTML.
"use strict";

(function () {
  const SPEAKERS = { caseworker: "Sagsbehandler", citizen: "Borger", unknown: "Ukendt" };
  const LEVELS = {
    green: "Grøn – metoden passer",
    yellow: "Gul – vær opmærksom",
    red: "Rød – metoden passer ikke her",
  };
  const FRUSTRATION = ["Rolig", "Let irriteret", "Frustreret", "Meget frustreret"];
  const CATEGORIES = {
    sagsbehandlingstid: "Sagsbehandlingstid", manglende_kontakt: "Manglende kontakt", adfaerd: "Adfærd",
    afgoerelse: "Afgørelse", information: "Information", fejl: "Fejl", oekonomi: "Økonomi",
    digital: "Digital selvbetjening", service: "Service", andet: "Andet",
  };
  const COMPLAINT_KINDS = { formalitet: "formalitet", afgoerelse: "afgørelse", blandet: "blandet" };
  const FLAGS = {
    language_barrier: "Sprogbarriere", health_barrier: "Helbredsbarriere", threat: "Trussel",
    decision_complaint: "Klage over en afgørelse", representative: "Partsrepræsentant",
  };
  const SUGGESTION_KINDS = {
    summary: "Opsummering", question: "Åbent spørgsmål", reflection: "Refleksion",
    deescalation: "Deeskalering", guidance: "Vejledning",
  };
  // Suggestion reasons arrive as codes (a flag or "fase: <phase>"); shown in Danish.
  const REASONS = { many_points: "Mange klagepunkter" };
  const PHASES = {
    opening: "Åbning", exploring: "Afdækning", summarising: "Opsummering", agreement: "Aftale", closing: "Afslutning",
  };
  const END_REASONS = { completed: "optagelsen er slut", stopped: "afsluttet", failed: "fejlede", interrupted: "afbrudt" };
  const CONNECTION = {
    idle: "Ikke forbundet", connecting: "Forbinder …", open: "Forbundet", reconnecting: "Genopretter forbindelse …",
    closed: "Forbindelsen er lukket", failed: "Opkaldet findes ikke",
  };
  const VISIBLE_SUGGESTIONS = 4; // more cards behind a "show all" button: the panel is narrow
  const PING_EVERY_MS = 15000;   // the server answers {"type":"ping"} with a pong
  const SILENCE_LIMIT_MS = 40000; // no message for this long: the connection is dead, reconnect
  const MAX_BACKOFF_MS = 10000;

  const $ = (id) => document.getElementById(id);

  // ---- state ------------------------------------------------------------------------------
  const state = {
    callId: null,
    lastSeq: 0,
    seqs: [],            // every applied sequence number, in order (tests compare it with the server's)
    ended: false,
    lastCitizenTurn: null,
    suggestionState: {}, // suggestion_id -> "used" | "dismissed" | "copied"
    manualTicks: {},     // point_id -> true (caseworker ticked it by hand)
    lastUpdate: null,
    showAllSuggestions: false,
  };
  let socket = null;
  let retries = 0;
  let reconnectTimer = null;
  let pingTimer = null;
  let lastMessageAt = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // ---- errors and connection ---------------------------------------------------------------
  function showError(message, code) {
    const box = el("div", "error");
    if (code) box.dataset.code = code;
    box.appendChild(el("span", "msg", message));
    const close = el("button", "", "×");
    close.type = "button";
    close.title = "Skjul";
    close.addEventListener("click", () => box.remove());
    box.appendChild(close);
    $("errors").appendChild(box);
  }

  function setConnection(kind) {
    const node = $("connection");
    node.dataset.state = kind;
    $("connection-text").textContent = CONNECTION[kind] || kind;
  }

  // ---- HTTP --------------------------------------------------------------------------------
  // State-changing requests carry the login's CSRF token (double submit: the server set it as a cookie).
  function csrfToken() {
    const found = document.cookie.split("; ").find((part) => part.startsWith("assistant_csrf="));
    return found ? decodeURIComponent(found.slice("assistant_csrf=".length)) : "";
  }

  function toLogin() {
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  }

  async function api(method, path, body) {
    const options = { method, headers: {} };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrfToken();
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    if (response.status === 401) toLogin();
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (!response.ok) {
      const message = data && data.message ? data.message : `Serveren svarede ${response.status}.`;
      const err = new Error(message);
      err.code = data && data.code;
      throw err;
    }
    return data;
  }

  // ---- start form --------------------------------------------------------------------------
  async function showStartForm() {
    $("start").hidden = false;
    const select = $("start-source");
    clear(select);
    try {
      const samples = await api("GET", "/samples");
      for (const sample of samples.data) {
        const seconds = sample.duration ? ` (${Math.round(sample.duration)} s)` : "";
        const option = el("option", "", `Optagelse: ${sample.title || sample.name}${seconds}`);
        option.value = `file:${sample.name}`;
        select.appendChild(option);
      }
    } catch (err) {
      showError(`Kunne ikke hente eksempeloptagelser: ${err.message}`, err.code);
    }
    const text = el("option", "", "Tekstopkald (skriv replikkerne)");
    text.value = "text";
    select.appendChild(text);
    loadRecentCalls();
    $("start-form").addEventListener("submit", startCall);
  }

  async function loadRecentCalls() {
    try {
      const calls = await api("GET", "/calls");
      if (!calls.count) return;
      const list = $("recent-list");
      clear(list);
      for (const call of calls.data) {
        const item = el("li");
        const link = el("a", "", `${call.source} – ${call.status === "running" ? "i gang" : "afsluttet"}`);
        link.href = `/panel/${encodeURIComponent(call.call_id)}`;
        item.appendChild(link);
        list.appendChild(item);
      }
      $("recent").hidden = false;
    } catch (_) { /* the list is a convenience */ }
  }

  async function startCall(event) {
    event.preventDefault();
    const choice = $("start-source").value;
    const body = { citizen_informed: $("start-informed").checked };
    if (choice === "text") {
      body.source = "text";
    } else {
      body.source = "file";
      body.path = choice.slice("file:".length);
      body.realtime = $("start-realtime").checked;
    }
    $("start-button").disabled = true;
    try {
      const call = await api("POST", "/calls", body);
      history.pushState({}, "", `/panel/${encodeURIComponent(call.call_id)}`);
      $("start").hidden = true;
      openCall(call.call_id, call.source === "tekst");
    } catch (err) {
      showError(`Opkaldet kunne ikke startes: ${err.message}`, err.code);
    } finally {
      $("start-button").disabled = false;
    }
  }

  // ---- the call ----------------------------------------------------------------------------
  function openCall(callId, isText) {
    state.callId = callId;
    try {
      state.manualTicks = JSON.parse(localStorage.getItem(`ticks:${callId}`) || "{}");
    } catch (_) { state.manualTicks = {}; }
    $("call").hidden = false;
    $("turn-form").hidden = !isText;
    $("end-button").addEventListener("click", endCall);
    $("turn-form").addEventListener("submit", addTurn);
    connect();
  }

  async function endCall() {
    $("end-button").disabled = true;
    try {
      await api("POST", `/calls/${encodeURIComponent(state.callId)}/end`);
    } catch (err) {
      showError(`Opkaldet kunne ikke afsluttes: ${err.message}`, err.code);
      $("end-button").disabled = false;
    }
  }

  async function addTurn(event) {
    event.preventDefault();
    const input = $("turn-text");
    const text = input.value.trim();
    if (!text) return;
    try {
      await api("POST", `/calls/${encodeURIComponent(state.callId)}/turns`, { speaker: $("turn-speaker").value, text });
      input.value = "";
    } catch (err) {
      showError(`Replikken blev ikke tilføjet: ${err.message}`, err.code);
    }
  }

  // ---- WebSocket with replay from the last sequence number ---------------------------------
  function connect() {
    clearTimeout(reconnectTimer);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/calls/${encodeURIComponent(state.callId)}/events?after=${state.lastSeq}`;
    setConnection(retries ? "reconnecting" : "connecting");
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener("open", () => {
      retries = 0;
      lastMessageAt = Date.now();
      setConnection("open");
      clearInterval(pingTimer);
      pingTimer = setInterval(() => keepAlive(ws), PING_EVERY_MS);
    });
    ws.addEventListener("message", (message) => {
      lastMessageAt = Date.now();
      let event;
      try { event = JSON.parse(message.data); } catch (_) { return; }
      if (event.type === "pong") return;
      applyEvent(event);
    });
    ws.addEventListener("close", (closed) => {
      if (socket !== ws) return; // an older socket we already replaced
      clearInterval(pingTimer);
      socket = null;
      if (closed.code === 4401) { toLogin(); return; }
      if (closed.code === 4403) {
        setConnection("failed");
        showError("Du har ikke adgang til dette opkald.", "forbidden");
        return;
      }
      if (closed.code === 4404) {
        setConnection("failed");
        showError("Opkaldet findes ikke (måske er serveren genstartet).", "call-not-found");
        return;
      }
      if (state.ended) { setConnection("closed"); return; }
      scheduleReconnect();
    });
  }

  function keepAlive(ws) {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastMessageAt > SILENCE_LIMIT_MS) { ws.close(); return; }
    ws.send(JSON.stringify({ type: "ping" }));
  }

  function scheduleReconnect() {
    retries += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (retries - 1)) * (0.75 + Math.random() * 0.5);
    setConnection("reconnecting");
    reconnectTimer = setTimeout(connect, delay);
  }

  function applyEvent(event) {
    if (typeof event.seq !== "number" || event.seq <= state.lastSeq) return; // never show an event twice
    state.lastSeq = event.seq;
    state.seqs.push(event.seq);
    document.body.dataset.lastSeq = String(event.seq);
    const handler = HANDLERS[event.type];
    if (handler) handler(event);
  }

  const HANDLERS = {
    "call-start": (e) => {
      $("call-source").textContent = e.source;
      $("turn-form").hidden = e.source !== "tekst";
    },
    "utterance-partial": (e) => upsertLine(e.utterance_id, e.speaker, e.text, false),
    "utterance-final": (e) => upsertLine(e.utterance.utterance_id, e.utterance.speaker, e.utterance.text, true),
    "analysis-update": (e) => renderAnalysis(e.update),
    "error": (e) => showError(e.message, e.code),
    "suggestion-action": (e) => {
      state.suggestionState[e.suggestion_id] = e.action;
      if (state.lastUpdate) renderSuggestions(state.lastUpdate.suggestions);
    },
    "call-end": (e) => {
      state.ended = true;
      const status = $("call-status");
      status.dataset.status = e.reason === "failed" ? "failed" : "ended";
      status.textContent = `Opkaldet er slut (${END_REASONS[e.reason] || e.reason})`;
      $("end-button").disabled = true;
      $("turn-form").hidden = true;
      dropStalePartials(null, null);
    },
  };

  // ---- transcript --------------------------------------------------------------------------
  function upsertLine(utteranceId, speaker, text, final) {
    const list = $("transcript");
    let line = list.querySelector(`li[data-utterance-id="${CSS.escape(utteranceId)}"]`);
    if (!line) {
      line = el("li", "line");
      line.dataset.utteranceId = utteranceId;
      line.appendChild(el("span", "who"));
      line.appendChild(el("span", "text"));
      list.appendChild(line);
    } else if (line.dataset.final === "true" && !final) {
      return; // a late interim text never replaces the final one
    }
    if (final) dropStalePartials(speaker, utteranceId);
    line.dataset.speaker = speaker;
    line.dataset.final = String(final);
    line.querySelector(".who").textContent = `${SPEAKERS[speaker] || speaker}:`;
    line.querySelector(".text").textContent = text;
    list.scrollTop = list.scrollHeight;
  }

  // Interim text whose final never came (the final was empty, e.g. a dropped hallucination) would
  // linger: a speaker's next final, or the end of the call, removes it.
  function dropStalePartials(speaker, keepId) {
    for (const stale of $("transcript").querySelectorAll('li[data-final="false"]')) {
      if ((speaker === null || stale.dataset.speaker === speaker) && stale.dataset.utteranceId !== keepId) stale.remove();
    }
  }

  // ---- analysis ----------------------------------------------------------------------------
  function renderAnalysis(update) {
    state.lastUpdate = update;
    if (update.turn.speaker === "citizen" && update.turn.frustration !== null && update.turn.frustration !== undefined) {
      state.lastCitizenTurn = update.turn;
    }
    renderLight(update.assessment);
    renderMeter(update.call);
    renderNudge(update.coaching);
    renderSuggestions(update.suggestions);
    renderPoints(update.call);
    renderFlags(update.call.flags);
    renderCoaching(update.coaching, update.call);
  }

  function renderLight(assessment) {
    $("light").dataset.level = assessment.level;
    $("light-title").textContent = `Egnethed: ${LEVELS[assessment.level] || assessment.level}`;
    const list = $("light-reasons");
    clear(list);
    for (const reason of assessment.reasons) list.appendChild(el("li", "", reason));
  }

  function renderMeter(call) {
    const turn = state.lastCitizenTurn;
    const meter = $("meter");
    if (!turn) return;
    meter.dataset.level = String(turn.frustration);
    meter.setAttribute("aria-valuenow", String(turn.frustration));
    $("meter-label").textContent = `${turn.frustration} – ${FRUSTRATION[turn.frustration]}`;
    $("meter-peak").textContent = `(højeste i opkaldet: ${call.frustration_peak})`;
    const words = $("meter-words");
    clear(words);
    for (const word of turn.evidence) words.appendChild(el("span", "word", word));
  }

  function renderNudge(coaching) {
    $("nudge").hidden = !coaching.nudge;
    $("nudge-text").textContent = coaching.nudge || "";
  }

  function renderSuggestions(suggestions) {
    const box = $("suggestions");
    clear(box);
    let shown = 0;
    for (const suggestion of suggestions) {
      const done = state.suggestionState[suggestion.suggestion_id];
      if (done === "dismissed") continue;
      const card = suggestionCard(suggestion, done);
      card.hidden = shown >= VISIBLE_SUGGESTIONS && !state.showAllSuggestions;
      box.appendChild(card);
      shown += 1;
    }
    if (shown > VISIBLE_SUGGESTIONS) {
      const more = el("button", "secondary more", state.showAllSuggestions ? "Vis færre forslag" : `Vis alle forslag (${shown})`);
      more.type = "button";
      more.id = "suggestions-more";
      more.addEventListener("click", () => {
        state.showAllSuggestions = !state.showAllSuggestions;
        renderSuggestions(suggestions);
      });
      box.appendChild(more);
    }
    $("suggestions-empty").hidden = shown > 0;
  }

  function reasonText(reason) {
    if (FLAGS[reason]) return FLAGS[reason];
    if (REASONS[reason]) return REASONS[reason];
    const phase = /^fase: (\w+)$/.exec(reason);
    if (phase) return `Fase: ${PHASES[phase[1]] || phase[1]}`;
    return reason;
  }

  function suggestionCard(suggestion, done) {
    const card = el("article", "suggestion");
    card.dataset.suggestionId = suggestion.suggestion_id;
    card.dataset.kind = suggestion.kind;
    if (done) card.dataset.state = done;
    card.appendChild(el("div", "kind", SUGGESTION_KINDS[suggestion.kind] || suggestion.kind));
    card.appendChild(el("p", "text", suggestion.text));
    card.dataset.reason = suggestion.reason;
    if (suggestion.reason) card.appendChild(el("p", "reason", reasonText(suggestion.reason)));
    const actions = el("div", "actions");
    actions.appendChild(actionButton("Kopiér", "copy", () => copySuggestion(suggestion)));
    actions.appendChild(actionButton(done === "used" ? "Brugt ✓" : "Brugt", "used",
      () => sendAction(suggestion.suggestion_id, "used")));
    actions.appendChild(actionButton("Afvis", "dismiss", () => sendAction(suggestion.suggestion_id, "dismissed")));
    card.appendChild(actions);
    return card;
  }

  function actionButton(label, action, onClick) {
    const button = el("button", "secondary", label);
    button.type = "button";
    button.dataset.action = action;
    button.addEventListener("click", onClick);
    return button;
  }

  async function copySuggestion(suggestion) {
    let copied = false;
    try {
      await navigator.clipboard.writeText(suggestion.text);
      copied = true;
    } catch (_) {
      // Older browsers or a page not counted as secure: copy through a temporary text area.
      const area = el("textarea");
      area.value = suggestion.text;
      document.body.appendChild(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (_) { copied = false; }
      area.remove();
    }
    if (!copied) showError("Teksten kunne ikke kopieres; markér og kopiér den selv.", "copy-failed");
    sendAction(suggestion.suggestion_id, "copied");
  }

  async function sendAction(suggestionId, action) {
    // Shown at once; the server's suggestion-action event confirms it (and reaches other panels).
    state.suggestionState[suggestionId] = action === "copied" ? (state.suggestionState[suggestionId] || "copied") : action;
    if (state.lastUpdate) renderSuggestions(state.lastUpdate.suggestions);
    try {
      const path = `/calls/${encodeURIComponent(state.callId)}/suggestions/${encodeURIComponent(suggestionId)}`;
      await api("POST", path, { action });
    } catch (err) {
      showError(`Handlingen blev ikke gemt: ${err.message}`, err.code);
    }
  }

  function renderPoints(call) {
    const list = $("points");
    clear(list);
    $("points-kind").textContent = call.complaint_kind ? `(${COMPLAINT_KINDS[call.complaint_kind] || call.complaint_kind})` : "";
    for (const point of call.complaint_points) {
      const manual = Boolean(state.manualTicks[point.point_id]);
      const item = el("li", "point");
      item.dataset.pointId = point.point_id;
      item.dataset.category = point.category;
      item.dataset.summarised = String(point.summarised);
      item.dataset.ticked = String(point.summarised || manual);
      const box = el("input");
      box.type = "checkbox";
      box.checked = point.summarised || manual;
      box.disabled = point.summarised; // the analysis heard the summary; nothing to undo
      box.title = point.summarised ? "Opsummeret i samtalen" : "Markér som opsummeret";
      box.setAttribute("aria-label", `Opsummeret: ${point.gist}`);
      box.addEventListener("change", () => tickPoint(point.point_id, box.checked, item));
      item.appendChild(box);
      item.appendChild(el("span", "category", CATEGORIES[point.category] || point.category));
      item.appendChild(el("span", "gist", point.gist));
      list.appendChild(item);
    }
    $("points-empty").hidden = call.complaint_points.length > 0;
  }

  function tickPoint(pointId, checked, item) {
    if (checked) state.manualTicks[pointId] = true; else delete state.manualTicks[pointId];
    item.dataset.ticked = String(checked);
    try { localStorage.setItem(`ticks:${state.callId}`, JSON.stringify(state.manualTicks)); } catch (_) { /* private mode */ }
  }

  function renderFlags(flags) {
    const list = $("flags");
    clear(list);
    for (const flag of flags) {
      const item = el("li", "flag");
      item.dataset.kind = flag.kind;
      item.appendChild(el("strong", "label", FLAGS[flag.kind] || flag.kind));
      if (flag.evidence.length) {
        item.appendChild(el("div", "evidence", `Belæg: ${flag.evidence.map((w) => `“${w}”`).join(", ")}`));
      }
      list.appendChild(item);
    }
    $("flags-empty").hidden = flags.length > 0;
  }

  function renderCoaching(coaching, call) {
    $("coach-open").textContent = String(coaching.open_questions);
    $("coach-closed").textContent = String(coaching.closed_questions);
    $("coach-leading").textContent = String(coaching.leading_questions);
    $("coach-summaries").textContent = String(coaching.summaries);
    $("coach-share").textContent = `${Math.round(coaching.citizen_talk_share * 100)} %`;
    $("phase").textContent = `Samtalens fase: ${PHASES[call.phase] || call.phase}`;
  }

  // ---- boot --------------------------------------------------------------------------------
  // A small handle for tests and support: the applied sequence numbers, and a way to cut the
  // connection so the reconnect path can be exercised.
  window.assistantPanel = {
    state,
    dropConnection() { if (socket) socket.close(); },
  };

  document.addEventListener("DOMContentLoaded", () => {
    // Voice-based emotion cues are biometric (AI Act): when the setting is on, the panel says so.
    api("GET", "/auth/me").then((me) => {
      if (me && me.voice_emotion_cues) {
        document.body.prepend(el("p", "voice-cues-notice",
          "Stemmebaserede følelsessignaler er slået til. Borgeren skal være informeret om det."));
      }
    }).catch(() => {});
    const match = location.pathname.match(/^\/panel\/([^/]+)\/?$/);
    if (match) {
      openCall(decodeURIComponent(match[1]), false);
    } else {
      showStartForm();
    }
  });
})();
