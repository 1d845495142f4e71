// Side-panel: shows one call's events live. Plain JS, no build step; text is only ever set with
// textContent (transcripts are untrusted input), never innerHTML.
"use strict";

(function () {
  // The domain's Danish names come from the server (assistant/vocabulary.py via /vocabulary.js), so the
  // panel, the note and the review pages use the same words.
  const VOCABULARY = window.VOCABULARY || {};
  const SPEAKERS = VOCABULARY.speakers || {};
  const LEVELS = VOCABULARY.assessment_levels || {};
  const FRUSTRATION = VOCABULARY.frustration_levels || [];
  const CATEGORIES = VOCABULARY.complaint_categories || {};
  const COMPLAINT_KINDS = VOCABULARY.complaint_kinds || {};
  const FLAGS = VOCABULARY.flags || {};
  // What comes first in "Vigtigst nu": a threat (it includes a risk of self-harm) always, then a barrier,
  // then a decision complaint, then the rest.
  const GUIDANCE_ORDER = ["threat", "language_barrier", "health_barrier", "decision_complaint", "many_points",
    "representative"];
  const VISIBLE_GUIDANCE = 2;     // the rest behind "Vis alle": the card keeps its height
  const VISIBLE_REASONS = 2;
  const SUGGESTION_KINDS = {
    summary: "Opsummering", question: "Åbent spørgsmål", reflection: "Refleksion",
    deescalation: "Deeskalering", guidance: "Vejledning",
  };
  // Suggestion reasons arrive as codes (a flag or "fase: <phase>"); shown in Danish.
  const PHASES = {
    opening: "Åbning", exploring: "Afdækning", summarising: "Opsummering", agreement: "Aftale", closing: "Afslutning",
  };
  const END_TEXTS = {
    completed: "Opkaldet er slut", stopped: "Opkaldet er afsluttet", failed: "Opkaldet er slut (fejlede)",
    interrupted: "Opkaldet er slut (afbrudt)",
  };
  const CONNECTION = {
    idle: "Ikke forbundet", connecting: "Forbinder …", open: "Forbundet", reconnecting: "Genopretter forbindelse …",
    closed: "Forbindelsen er lukket", failed: "Opkaldet findes ikke",
  };
  const VISIBLE_SUGGESTIONS = 3; // more cards behind a "show all" button: the panel is narrow
  const COPIED_CONFIRM_MS = 2500;
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
    showAllGuidance: false,
    guidanceIds: new Set(), // guidance suggestions shown under their flag in "Vigtigst nu"
    pointerInSuggestions: false,
    pendingSuggestions: null, // the newest suggestions, held back while the pointer is over the cards
    turnTexts: {},       // turn index -> final text (evidence is shown only as words the transcript holds)
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
      // The call is shown once its first event says what it is (a replayed demo gets its banner at once,
      // instead of pushing every card down a moment later).
      $("call").hidden = false;
      $("call-source").textContent = e.source;
      $("turn-form").hidden = e.source !== "tekst";
      $("replay-banner").hidden = !e.replay;
    },
    "utterance-partial": (e) => upsertLine(e.utterance_id, e.speaker, e.text, false),
    "utterance-final": (e) => {
      state.turnTexts[e.turn_index] = e.utterance.text;
      upsertLine(e.utterance.utterance_id, e.utterance.speaker, e.utterance.text, true);
    },
    "analysis-update": (e) => renderAnalysis(e.update),
    "error": (e) => showError(e.message, e.code),
    "suggestion-action": (e) => {
      state.suggestionState[e.suggestion_id] = e.action;
      if (state.lastUpdate) renderSuggestions(state.pendingSuggestions || state.lastUpdate.suggestions);
    },
    "call-end": (e) => {
      state.ended = true;
      const status = $("call-status");
      status.dataset.status = e.reason === "failed" ? "failed" : "ended";
      status.textContent = END_TEXTS[e.reason] || `Opkaldet er slut (${e.reason})`;
      $("end-button").hidden = true;
      const note = $("note-link");
      note.href = `/notes/${encodeURIComponent(state.callId)}`;
      note.hidden = false;
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

  // ---- evidence: only words the transcript holds ---------------------------------------------
  // The analysis may describe evidence in its own terms (a language code, "gebrokkent dansk"); the
  // caseworker is shown only what was said: the evidence words found in the turns, else a quote.
  function quoteOf(text) {
    const words = String(text || "").split(/\s+/).filter(Boolean);
    return words.length > 9 ? `${words.slice(0, 9).join(" ")} …` : words.join(" ");
  }

  function spokenEvidence(evidence, turns, { quoteIfNone = true } = {}) {
    const texts = turns.map((index) => state.turnTexts[index]).filter((t) => typeof t === "string");
    const haystack = texts.join("\n").toLowerCase();
    // The analysis' tokens may stand apart from punctuation ("ved , hvor"): written as in the transcript.
    const found = evidence.map((item) => String(item || "").replace(/\s+([,.!?;:])/g, "$1"))
      .filter((item) => item && haystack.includes(item.toLowerCase()));
    if (found.length || !texts.length || !quoteIfNone) return found;
    return [quoteOf(texts[texts.length - 1])];
  }

  // ---- analysis ----------------------------------------------------------------------------
  function renderAnalysis(update) {
    state.lastUpdate = update;
    if (update.turn.speaker === "citizen" && update.turn.frustration !== null && update.turn.frustration !== undefined) {
      state.lastCitizenTurn = update.turn;
    }
    renderLight(update.assessment);
    renderGuidance(update.call.flags, update.suggestions);
    renderMeter(update.call);
    renderPoints(update.call);
    renderSuggestions(update.suggestions, { fromAnalysis: true });
    renderNudge(update.coaching);
    renderCoaching(update.coaching, update.call);
  }

  // "Trussel eller grov chikane: sæt grænse …" → "Trussel eller grov chikane": the light shows the short
  // form of its first reasons; every reason in full is one click away.
  function shortReason(reason) {
    const head = String(reason).split(":")[0].trim();
    return head.replace(/\.$/, "");
  }

  function setList(list, texts, make) {
    // Update the items in place (no rebuild): unchanged items keep their node, so nothing flickers.
    while (list.children.length > texts.length) list.lastElementChild.remove();
    texts.forEach((text, index) => {
      let item = list.children[index];
      if (!item) { item = el("li"); list.appendChild(item); }
      make(item, text);
    });
  }

  function renderLight(assessment) {
    $("light").dataset.level = assessment.level;
    $("light-title").textContent = LEVELS[assessment.level] || assessment.level;
    const reasons = assessment.reasons;
    setList($("light-reasons"), reasons.slice(0, VISIBLE_REASONS), (item, reason) => {
      item.textContent = shortReason(reason);
      item.title = reason;
    });
    setList($("light-all-reasons"), reasons, (item, reason) => { item.textContent = reason; });
    $("light-more").hidden = reasons.length === 0;
    $("light-more-label").textContent = reasons.length > VISIBLE_REASONS
      ? `Alle grunde (${reasons.length})` : "Grundene i fuld længde";
  }

  // One item per raised flag, plus guidance the analysis gives without a flag (many points), most urgent
  // first. A flag's guidance card is shown here, under the flag, and not again among the suggestions.
  function guidanceItems(flags, suggestions) {
    const items = new Map();
    for (const flag of flags) items.set(flag.kind, { kind: flag.kind, flag, guidance: null });
    for (const suggestion of suggestions) {
      if (suggestion.kind !== "guidance" || !GUIDANCE_ORDER.includes(suggestion.reason)) continue;
      const item = items.get(suggestion.reason) || { kind: suggestion.reason, flag: null, guidance: null };
      item.guidance = suggestion;
      items.set(suggestion.reason, item);
    }
    const rank = (kind) => (GUIDANCE_ORDER.includes(kind) ? GUIDANCE_ORDER.indexOf(kind) : GUIDANCE_ORDER.length);
    return Array.from(items.values()).sort((a, b) => rank(a.kind) - rank(b.kind));
  }

  function renderGuidance(flags, suggestions) {
    const items = guidanceItems(flags, suggestions);
    state.guidanceIds = new Set(items.filter((i) => i.guidance).map((i) => i.guidance.suggestion_id));
    const list = $("guidance");
    setList(list, items, (node, item) => fillGuidanceItem(node, item));
    items.forEach((_, index) => { list.children[index].hidden = index >= VISIBLE_GUIDANCE && !state.showAllGuidance; });
    const more = $("guidance-more");
    more.hidden = items.length <= VISIBLE_GUIDANCE;
    more.textContent = state.showAllGuidance ? "Vis færre" : `Vis alle (${items.length})`;
    $("guidance-empty").hidden = items.length > 0;
    $("guidance").closest(".card").dataset.expanded = String(Boolean(state.showAllGuidance));
  }

  function fillGuidanceItem(node, item) {
    clear(node);
    node.className = "flag";
    node.dataset.kind = item.kind;
    node.dataset.raised = String(Boolean(item.flag));
    const head = el("p", "guidance-text");
    head.appendChild(el("strong", "label", FLAGS[item.kind] || item.kind));
    if (item.guidance) head.appendChild(el("span", "advice", ` – ${adviceText(FLAGS[item.kind] || "", item.guidance.text)}`));
    node.appendChild(head);
    const evidence = item.flag ? spokenEvidence(item.flag.evidence, item.flag.turns) : [];
    if (evidence.length) {
      node.appendChild(el("div", "evidence", `Belæg: ${evidence.map((w) => `“${w}”`).join(", ")}`));
    }
    node.title = item.guidance ? item.guidance.text : "";
  }

  // "Trussel: sæt en klar grænse …" under the name "Trussel" reads "Trussel – sæt en klar grænse …".
  function adviceText(name, text) {
    const prefix = `${name.toLowerCase()}:`;
    return name && text.toLowerCase().startsWith(prefix) ? text.slice(prefix.length).trim() : text;
  }

  function renderMeter(call) {
    const turn = state.lastCitizenTurn;
    const meter = $("meter");
    if (!turn) return;
    meter.dataset.level = String(turn.frustration);
    meter.setAttribute("aria-valuenow", String(turn.frustration));
    $("meter-label").textContent = frustrationName(turn.frustration);
    $("meter-peak").textContent = `· højeste: ${frustrationName(call.frustration_peak)}`;
    const words = $("meter-words");
    clear(words);
    for (const word of spokenEvidence(turn.evidence, [turn.index], { quoteIfNone: false })) words.appendChild(el("span", "word", word));
  }

  function frustrationName(level) {
    return FRUSTRATION[level] !== undefined ? `${level} – ${FRUSTRATION[level]}` : String(level);
  }

  // The nudge has a reserved line in the points card: coming and going, it moves nothing.
  function renderNudge(coaching) {
    const nudge = $("nudge");
    nudge.dataset.shown = String(Boolean(coaching.nudge));
    nudge.title = coaching.nudge || "";
    $("nudge-text").textContent = coaching.nudge || "";
  }

  // Suggestion cards sit in slots that never move: a card the analysis no longer offers stays in its
  // slot, faded, until a new suggestion takes that slot; only then are new cards appended. While the
  // pointer is over the cards, the analysis waits (applied when it leaves), so no button changes under
  // the cursor. The caseworker's own clicks (Afvis, Brugt, Vis alle) apply at once.
  function renderSuggestions(suggestions, { fromAnalysis = false } = {}) {
    if (fromAnalysis && state.pointerInSuggestions) {
      state.pendingSuggestions = suggestions;
      return;
    }
    state.pendingSuggestions = null;
    const box = $("suggestions");
    for (const card of Array.from(box.children)) {
      if (state.suggestionState[card.dataset.suggestionId] === "dismissed") card.remove();
    }
    const wanted = suggestions.filter((s) => state.suggestionState[s.suggestion_id] !== "dismissed"
      && !state.guidanceIds.has(s.suggestion_id));
    const byId = new Map(wanted.map((s) => [s.suggestion_id, s]));
    const shown = new Set(Array.from(box.children, (card) => card.dataset.suggestionId));
    const fresh = wanted.filter((s) => !shown.has(s.suggestion_id));
    for (const card of Array.from(box.children)) {
      const current = byId.get(card.dataset.suggestionId);
      if (current) {
        updateSuggestionCard(card, current);
      } else if (fresh.length) {
        const next = suggestionCard(fresh.shift());
        box.replaceChild(next, card);
        updateSuggestionCard(next, byId.get(next.dataset.suggestionId));
      } else {
        card.dataset.stale = "true"; // no longer offered; its slot waits for the next new suggestion
      }
    }
    for (const suggestion of fresh) {
      const card = suggestionCard(suggestion);
      box.appendChild(card);
      updateSuggestionCard(card, suggestion);
    }
    const cards = Array.from(box.children);
    cards.forEach((card, index) => { card.hidden = index >= VISIBLE_SUGGESTIONS && !state.showAllSuggestions; });
    const more = $("suggestions-more");
    more.dataset.shown = String(cards.length > VISIBLE_SUGGESTIONS); // its place is kept, shown or not
    more.textContent = state.showAllSuggestions ? "Vis færre forslag" : `Vis alle forslag (${cards.length})`;
    $("suggestions-empty").hidden = cards.length > 0;
  }

  function reasonText(reason) {
    if (FLAGS[reason]) return FLAGS[reason];
    const phase = /^fase: (\w+)$/.exec(reason);
    if (phase) return `Fase: ${PHASES[phase[1]] || phase[1]}`;
    return reason;
  }

  function suggestionCard(suggestion) {
    const card = el("article", "suggestion");
    card.dataset.suggestionId = suggestion.suggestion_id;
    const head = el("div", "head");
    head.appendChild(el("span", "kind"));
    head.appendChild(el("span", "reason"));
    card.appendChild(head);
    card.appendChild(el("p", "text"));
    const actions = el("div", "actions");
    actions.appendChild(actionButton("Kopiér", "copy", () => copySuggestion(card)));
    actions.appendChild(actionButton("Brugt", "used", () => sendAction(card.dataset.suggestionId, "used")));
    actions.appendChild(actionButton("Afvis", "dismiss", () => sendAction(card.dataset.suggestionId, "dismissed")));
    actions.appendChild(el("span", "copied-note"));
    card.appendChild(actions);
    return card;
  }

  function updateSuggestionCard(card, suggestion) {
    const done = state.suggestionState[suggestion.suggestion_id];
    delete card.dataset.stale;
    card.dataset.kind = suggestion.kind;
    card.dataset.reason = suggestion.reason;
    if (done) card.dataset.state = done; else delete card.dataset.state;
    card.querySelector(".kind").textContent = SUGGESTION_KINDS[suggestion.kind] || suggestion.kind;
    card.querySelector(".text").textContent = suggestion.text;
    const reason = card.querySelector(".reason");
    reason.textContent = suggestion.reason ? ` · ${reasonText(suggestion.reason)}` : "";
    card.querySelector("[data-action=used]").textContent = done === "used" ? "Brugt ✓" : "Brugt";
  }

  function actionButton(label, action, onClick) {
    const button = el("button", "secondary", label);
    button.type = "button";
    button.dataset.action = action;
    button.addEventListener("click", onClick);
    return button;
  }

  async function copySuggestion(card) {
    const text = card.querySelector(".text").textContent;
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (_) {
      // Older browsers or a page not counted as secure: copy through a temporary text area.
      const area = el("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { copied = document.execCommand("copy"); } catch (_) { copied = false; }
      area.remove();
    }
    if (!copied) {
      showError("Teksten kunne ikke kopieres; markér og kopiér den selv.", "copy-failed");
    } else {
      confirmCopied(card);
    }
    sendAction(card.dataset.suggestionId, "copied");
  }

  // "Kopiér" says that it worked, in place (the button's width is reserved, so nothing moves).
  function confirmCopied(card) {
    const button = card.querySelector("[data-action=copy]");
    button.textContent = "Kopieret ✓";
    button.dataset.copied = "true";
    clearTimeout(button.copiedTimer);
    button.copiedTimer = setTimeout(() => {
      button.textContent = "Kopiér";
      delete button.dataset.copied;
    }, COPIED_CONFIRM_MS);
  }

  async function sendAction(suggestionId, action) {
    // Shown at once; the server's suggestion-action event confirms it (and reaches other panels).
    state.suggestionState[suggestionId] = action === "copied" ? (state.suggestionState[suggestionId] || "copied") : action;
    if (state.lastUpdate) renderSuggestions(state.pendingSuggestions || state.lastUpdate.suggestions);
    try {
      const path = `/calls/${encodeURIComponent(state.callId)}/suggestions/${encodeURIComponent(suggestionId)}`;
      await api("POST", path, { action });
    } catch (err) {
      showError(`Handlingen blev ikke gemt: ${err.message}`, err.code);
    }
  }

  // Points are kept by id too: a known point is updated where it is, a new one is appended.
  function renderPoints(call) {
    const list = $("points");
    const points = call.complaint_points;
    const n = points.length;
    $("points-count").textContent = n ? `(${n})` : "";
    $("points-kind").textContent = call.complaint_kind ? (COMPLAINT_KINDS[call.complaint_kind] || call.complaint_kind) : "";
    const ids = new Set(points.map((p) => p.point_id));
    for (const item of Array.from(list.children)) {
      if (!ids.has(item.dataset.pointId)) item.remove();
    }
    for (const point of points) {
      let item = list.querySelector(`li[data-point-id="${CSS.escape(point.point_id)}"]`);
      if (!item) {
        item = pointItem(point.point_id);
        list.appendChild(item);
      }
      updatePoint(item, point);
    }
    $("points-empty").hidden = n > 0;
  }

  function pointItem(pointId) {
    const item = el("li", "point");
    item.dataset.pointId = pointId;
    const box = el("input");
    box.type = "checkbox";
    box.addEventListener("change", () => tickPoint(pointId, box.checked, item));
    item.appendChild(box);
    const body = el("div", "point-body");
    body.appendChild(el("span", "category"));
    body.appendChild(el("span", "point-state"));
    body.appendChild(el("span", "gist"));
    item.appendChild(body);
    return item;
  }

  function updatePoint(item, point) {
    const manual = Boolean(state.manualTicks[point.point_id]);
    item.dataset.category = point.category;
    item.dataset.summarised = String(point.summarised);
    item.dataset.ticked = String(point.summarised || manual);
    const box = item.querySelector("input");
    box.checked = point.summarised || manual;
    box.disabled = point.summarised; // the analysis heard the summary; nothing to undo
    box.title = point.summarised ? "Opsummeret i samtalen" : "Markér som opsummeret";
    box.setAttribute("aria-label", `Opsummeret: ${point.gist}`);
    item.querySelector(".category").textContent = CATEGORIES[point.category] || point.category;
    item.querySelector(".gist").textContent = point.gist;
    item.title = point.gist; // a long gist is cut to one line; the whole of it on hover
    item.querySelector(".point-state").textContent = pointStateText(point.summarised, manual);
  }

  function pointStateText(summarised, manual) {
    if (summarised) return "Opsummeret i samtalen";
    return manual ? "Markeret som opsummeret" : "";
  }

  function tickPoint(pointId, checked, item) {
    if (checked) state.manualTicks[pointId] = true; else delete state.manualTicks[pointId];
    item.dataset.ticked = String(checked);
    item.querySelector(".point-state").textContent = pointStateText(false, checked);
    try { localStorage.setItem(`ticks:${state.callId}`, JSON.stringify(state.manualTicks)); } catch (_) { /* private mode */ }
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

  // "Log ud" is one click: the login ends on the server (POST with the CSRF token), then the login page.
  async function logOut() {
    $("logout-button").disabled = true;
    try {
      await api("POST", "/auth/logout");
    } catch (err) {
      if (err.code !== "not-authenticated") {
        showError(`Log ud mislykkedes: ${err.message}`, err.code);
        $("logout-button").disabled = false;
        return;
      }
    }
    location.replace("/login?logged_out=1");
  }

  function bindControls() {
    $("logout-button").addEventListener("click", logOut);
    $("guidance-more").addEventListener("click", () => {
      state.showAllGuidance = !state.showAllGuidance;
      if (state.lastUpdate) renderGuidance(state.lastUpdate.call.flags, state.lastUpdate.suggestions);
    });
    $("suggestions-more").addEventListener("click", () => {
      state.showAllSuggestions = !state.showAllSuggestions;
      if (state.lastUpdate) renderSuggestions(state.pendingSuggestions || state.lastUpdate.suggestions);
    });
    const cards = $("suggestions");
    cards.addEventListener("pointerenter", () => { state.pointerInSuggestions = true; });
    cards.addEventListener("pointerleave", () => {
      state.pointerInSuggestions = false;
      if (state.pendingSuggestions) renderSuggestions(state.pendingSuggestions);
    });
  }

  // Voice-based emotion cues are biometric (AI Act): when the setting is on, the panel says so. Asked
  // before the call is shown, so the notice never pushes the cards down mid-call.
  async function showVoiceCuesNotice() {
    try {
      const me = await api("GET", "/auth/me");
      if (me && me.voice_emotion_cues) {
        document.body.prepend(el("p", "voice-cues-notice",
          "Stemmebaserede følelsessignaler er slået til. Borgeren skal være informeret om det."));
      }
    } catch (_) { /* a failed check only leaves the notice out; the call itself reports errors */ }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    bindControls();
    await showVoiceCuesNotice();
    const match = location.pathname.match(/^\/panel\/([^/]+)\/?$/);
    if (match) {
      openCall(decodeURIComponent(match[1]), false);
    } else {
      showStartForm();
    }
  });
})();
