// Statistics: flag precision, share resolved by phone (with the 64 % reference), categories over time, deadlines.
"use strict";

(function () {
  const { api, el, svg, showError, plural, danishDate } = Review;
  const MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"];
  // "2026-11" → "november 2026", "2026-W47" → "uge 47, 2026"
  function periodText(period) {
    const week = period.match(/^(\d{4})-W(\d{2})$/);
    if (week) return `uge ${Number(week[2])}, ${week[1]}`;
    const month = period.match(/^(\d{4})-(\d{2})$/);
    return month ? `${MONTHS[Number(month[2]) - 1]} ${month[1]}` : period;
  }
  const pct = (v) => (v === null || v === undefined ? "–" : Math.round(v * 100) + " %");

  function table(headers, rows, id) {
    return el("table", { id }, [
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { text: h })))),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", { text: c }))))),
    ]);
  }

  function resolvedChart(resolved) {
    const width = 520, height = 70, left = 10, right = 10;
    const x = (share) => left + share * (width - left - right);
    const chart = svg("svg", { class: "chart small", viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `Løst i telefonen ${pct(resolved.share)}; reference ${pct(resolved.reference)}` });
    chart.append(svg("rect", { x: left, y: 16, width: width - left - right, height: 22, fill: "#e8edf3" }));
    if (resolved.share !== null) chart.append(svg("rect", { class: "bar", x: left, y: 16, width: (x(resolved.share) - left).toFixed(1), height: 22 }));
    chart.append(svg("line", { class: "ref", x1: x(resolved.reference), x2: x(resolved.reference), y1: 8, y2: 46 }));
    chart.append(svg("text", { class: "label", x: Math.min(x(resolved.reference) + 4, width - 150), y: 60 }, `København (pilot): ${pct(resolved.reference)}`));
    return chart;
  }

  async function load() {
    const period = document.getElementById("period").value;
    document.getElementById("categories-csv").setAttribute("href", `/api/stats/export.csv?table=categories&period=${period}`);
    try {
      const stats = await api("/api/stats?period=" + period);
      document.getElementById("flags").replaceChildren(table(["Flag", "Rejst", "Gennemgået", "Rigtige", "Forkerte", "Træfsikkerhed"],
        stats.flags.map((f) => [f.label, f.raised, f.reviewed, f.right, f.wrong, pct(f.precision)]), "flag-table"));
      const r = stats.resolved;
      document.getElementById("resolved").replaceChildren(
        el("p", { id: "resolved-share", text: `${r.resolved} af ${plural(r.total, "opkald", "opkald")} med kendt udfald blev lagt ned i telefonen: ${pct(r.share)} (fastholdt ${r.kept}, uafklaret ${r.unresolved}).` }),
        resolvedChart(r));
      const cats = stats.categories;
      document.getElementById("categories").replaceChildren(cats.length
        ? table(["Periode", "Kategori", "Antal"], cats.map((c) => [periodText(c.period), c.label, c.count]), "category-table")
        : el("p", { className: "muted", text: "Ingen klagepunkter endnu." }));
      const d = stats.deadlines;
      document.getElementById("deadlines").replaceChildren(...[
        el("p", { text: `${plural(d.total, "sag", "sager")}: ${d.acknowledgement_late} over kvitteringsfristen, ${d.answer_late} over svarfristen.` }),
        el("p", { className: "muted deadline-rule", text: `Fristerne tæller ${d.working_days ? "arbejdsdage (uden weekender og helligdage)" : "kalenderdage"}: kvittering inden ${plural(d.acknowledgement_days, "dag", "dage")}, svar inden ${plural(d.answer_days, "dag", "dage")}.` }),
        d.cases.length ? table(["Sag", "Modtaget", "Kvittering senest", "Kvitteret", "Svar senest", "Besvaret"],
          d.cases.map((c) => [c.reference, danishDate(c.received_date), danishDate(c.acknowledgement_deadline) + (c.acknowledgement_late ? " (overskredet)" : ""),
            c.acknowledged_at ? danishDate(c.acknowledged_at) : "–", danishDate(c.answer_deadline) + (c.answer_late ? " (overskredet)" : ""),
            c.answered_at ? danishDate(c.answered_at) : "–"]), "deadline-table") : null].filter(Boolean));
    } catch (error) { showError(document.getElementById("flags"), error); }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("period").addEventListener("change", load);
    load();
  });
})();
