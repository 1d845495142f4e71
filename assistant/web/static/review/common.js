// Shared helpers for the review and note pages: API calls, element building (never innerHTML with data), dates.
"use strict";

const Review = (() => {
  // State-changing requests carry the login's CSRF token (double submit: the server set it as a cookie).
  function csrfToken() {
    const found = document.cookie.split("; ").find((part) => part.startsWith("assistant_csrf="));
    return found ? decodeURIComponent(found.slice("assistant_csrf=".length)) : "";
  }

  async function api(path, options = {}) {
    const init = { ...options, headers: { Accept: "application/json", ...(options.headers || {}) } };
    if (init.method && init.method.toUpperCase() !== "GET") init.headers["X-CSRF-Token"] = csrfToken();
    if (init.body && typeof init.body !== "string") {
      init.body = JSON.stringify(init.body);
      init.headers["Content-Type"] = "application/json";
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname + window.location.search));
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = { message: text }; }
    if (!response.ok) {
      const message = (data && (data.message || data.detail)) || response.statusText;
      throw new Error(typeof message === "string" ? message : JSON.stringify(message));
    }
    return data;
  }

  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of [].concat(children)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs = {}, text) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const dateTime = new Intl.DateTimeFormat("da-DK", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Copenhagen" });
  function formatTime(iso) { return iso ? dateTime.format(new Date(iso)) : "–"; }

  // Text with the given words marked: split into text nodes and <mark> elements (no HTML parsing).
  function highlighted(text, words) {
    const fragment = document.createDocumentFragment();
    const cues = (words || []).filter((w) => w && w.trim()).map((w) => w.toLowerCase());
    if (!cues.length) { fragment.append(text); return fragment; }
    const lower = text.toLowerCase();
    let i = 0;
    while (i < text.length) {
      let best = null;
      for (const cue of cues) {
        const at = lower.indexOf(cue, i);
        if (at >= 0 && (best === null || at < best.at || (at === best.at && cue.length > best.len))) best = { at, len: cue.length };
      }
      if (best === null) { fragment.append(text.slice(i)); break; }
      if (best.at > i) fragment.append(text.slice(i, best.at));
      fragment.append(el("mark", { text: text.slice(best.at, best.at + best.len) }));
      i = best.at + best.len;
    }
    return fragment;
  }

  function showError(target, error) {
    target.replaceChildren(el("p", { className: "error", role: "alert", text: "Fejl: " + error.message }));
  }

  // Dates as a Danish reader writes them: "3. december 2026" (from an ISO date or date-time).
  const MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
  function danishDate(iso) {
    if (!iso) return "–";
    const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
    return `${day}. ${MONTHS[month - 1]} ${year}`;
  }

  // "1 sag", "2 sager".
  function plural(count, one, many) { return `${count} ${count === 1 ? one : many}`; }

  // Text with character spans marked (spans from the server: the evidence located in the turn).
  function marked(text, spans) {
    const fragment = document.createDocumentFragment();
    let at = 0;
    for (const [start, end] of [...(spans || [])].sort((a, b) => a[0] - b[0])) {
      if (start < at) continue;  // overlapping evidence: the first span wins
      if (start > at) fragment.append(text.slice(at, start));
      fragment.append(el("mark", { text: text.slice(start, end) }));
      at = end;
    }
    if (at < text.length) fragment.append(text.slice(at));
    return fragment;
  }

  // **bold** runs as <strong>, the rest as text nodes.
  function inline(text) {
    return text.split(/(\*\*[^*]+\*\*)/).filter(Boolean).map((part) =>
      part.startsWith("**") && part.endsWith("**") && part.length > 4 ? el("strong", { text: part.slice(2, -2) }) : document.createTextNode(part));
  }

  // The note's Markdown rendered safely: the same few constructs the exports understand (# and ## headings,
  // "- " bullets, **bold**, paragraphs), built as elements: no HTML in the text is ever parsed.
  function renderMarkdown(markdown) {
    const article = el("article", { className: "note-rendered" });
    let list = null, paragraph = [];
    const flush = () => {
      if (paragraph.length) article.append(el("p", {}, inline(paragraph.join(" "))));
      paragraph = [];
    };
    for (const raw of (markdown || "").split("\n")) {
      const line = raw.trimEnd();
      const bullet = line.match(/^\s*[-*] (.*)$/);
      if (bullet) {
        flush();
        if (!list) { list = el("ul"); article.append(list); }
        list.append(el("li", {}, inline(bullet[1])));
        continue;
      }
      list = null;
      if (!line.trim()) flush();
      else if (line.startsWith("## ")) { flush(); article.append(el("h3", { text: line.slice(3).trim() })); }
      else if (line.startsWith("# ")) { flush(); article.append(el("h2", { text: line.slice(2).trim() })); }
      else paragraph.push(line.trim());
    }
    flush();
    return article;
  }

  return { api, el, svg, formatTime, highlighted, marked, showError, danishDate, plural, renderMarkdown };
})();
