// hadath dashboard: map, timeline, table and article view over the /v1 API. No network beyond this server.
"use strict";

const TYPES = {
  ASSAULT: "اعتداء", PROTEST: "احتجاج", COERCE: "إكراه", MOBILIZE: "تعبئة", THREATEN: "تهديد",
  ACCUSE: "اتهام", REJECT: "رفض", SANCTION: "عقوبات", REQUEST: "طلب", CONSULT: "تشاور", AGREE: "اتفاق",
  SUPPORT: "دعم", COOPERATE: "تعاون", AID: "مساعدة", CONCEDE: "تنازل", RETREAT: "انسحاب",
};
const COLORS = {
  ASSAULT: "#b42318", PROTEST: "#dc6803", COERCE: "#7a2e0e", MOBILIZE: "#a15c07", THREATEN: "#c11574",
  ACCUSE: "#6941c6", REJECT: "#5925dc", SANCTION: "#3e1c96", REQUEST: "#175cd3", CONSULT: "#1570ef",
  AGREE: "#027a48", SUPPORT: "#039855", COOPERATE: "#067647", AID: "#0e9384", CONCEDE: "#475467", RETREAT: "#344054",
};
const KINDS = {  // evidence span kinds: Arabic label, English label
  trigger: ["الفعل", "trigger"], source: ["الفاعل", "actor"], target: ["المستهدف", "target"],
  speaker: ["المتحدث", "speaker"], place: ["المكان", "place"], date: ["التاريخ", "date"],
  killed: ["قتلى", "killed"], injured: ["جرحى", "injured"], arrested: ["معتقلون", "arrested"],
  missing: ["مفقودون", "missing"], displaced: ["نازحون", "displaced"], sentence: ["الجملة", "sentence"],
};
const PAGE = 50;
const state = { offset: 0, total: 0, selected: null, markers: new Map() };

const $ = (sel) => document.querySelector(sel);
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
const en = (text) => el("span", { class: "en", dir: "ltr", text });

async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
  return body;
}

// ---- filters -------------------------------------------------------------------------------------------------
function filterParams(withPaging = true) {
  const p = new URLSearchParams();
  const v = (id) => $(id).value.trim();
  if (v("#f-type")) p.set("type", v("#f-type"));
  if (v("#f-q")) p.set("q", v("#f-q"));
  if (v("#f-actor")) p.set("actor", v("#f-actor"));
  if (v("#f-country")) p.set("country", v("#f-country").toUpperCase());
  if (v("#f-from")) p.set("date_from", v("#f-from"));
  if (v("#f-to")) p.set("date_to", v("#f-to"));
  if ($("#f-inview").checked) {
    const b = map.getBounds();
    const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x)).toFixed(4);
    p.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
                   clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].join(","));
  }
  if (withPaging) { p.set("limit", PAGE); p.set("offset", state.offset); }
  return p;
}

function setStatus(text) { $("#status").textContent = text; }

// ---- map: Natural Earth countries from world-atlas, drawn by Leaflet without tiles ---------------------------
const map = L.map("map", { worldCopyJump: true, zoomSnap: 0.5 }).setView([24, 42], 4);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Natural Earth · world-atlas · Leaflet");
fetch("/static/vendor/countries-50m.json").then((r) => r.json()).then((topo) => {
  const land = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(land, { style: { color: "#9aa5b5", weight: 0.7, fillColor: "#fbfbf7", fillOpacity: 1 },
                    interactive: false }).addTo(map).bringToBack();
});
const layer = L.layerGroup().addTo(map);

function drawMarkers(events) {
  layer.clearLayers();
  state.markers.clear();
  for (const ev of events) {
    if (ev.lat === null || ev.lon === null) continue;
    const m = L.circleMarker([ev.lat, ev.lon], {
      radius: Math.min(22, 4 + 2.5 * Math.sqrt(ev.n_sources)), color: "#fff", weight: 1,
      fillColor: COLORS[ev.event_type] || "#555", fillOpacity: 0.85,
    });
    m.bindTooltip(`${TYPES[ev.event_type] || ""} · ${ev.title}`, { direction: "top" });
    m.on("click", () => openEvent(ev.id));
    m.addTo(layer);
    state.markers.set(ev.id, m);
  }
}

// ---- timeline: an SVG histogram by day -----------------------------------------------------------------------
async function drawTimeline() {
  const p = filterParams(false);
  let { days } = await api("/v1/timeline?" + p);
  // a few far-off dates (a treaty of 1804, a plan for 2050) would flatten the bars: draw the central 98%
  const total = days.reduce((n, d) => n + d.count, 0);
  let seen = 0;
  const lo = days.find((d) => (seen += d.count) > total * 0.01);
  seen = 0;
  const hi = [...days].reverse().find((d) => (seen += d.count) > total * 0.01);
  if (lo && hi) days = days.filter((d) => d.date >= lo.date && d.date <= hi.date);
  const box = $("#timeline");
  box.replaceChildren();
  if (!days.length) return;
  const W = box.clientWidth || 600, H = box.clientHeight || 90, pad = 16;
  const t0 = Date.parse(days[0].date), t1 = Date.parse(days[days.length - 1].date);
  const n = Math.round((t1 - t0) / 864e5) + 1;
  const bw = Math.max(1, (W - 2 * pad) / n);
  const max = Math.max(...days.map((d) => d.count));
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  for (const d of days) {
    const i = Math.round((Date.parse(d.date) - t0) / 864e5);
    const h = Math.max(1, (H - 2 * pad) * d.count / max);
    const r = document.createElementNS(ns, "rect");
    r.setAttribute("class", "bar" + ($("#f-from").value === d.date && $("#f-to").value === d.date ? " on" : ""));
    r.setAttribute("x", pad + i * bw); r.setAttribute("width", Math.max(1, bw - 1));
    r.setAttribute("y", H - pad - h); r.setAttribute("height", h);
    r.dataset.date = d.date;
    const tip = document.createElementNS(ns, "title");
    tip.textContent = `${d.date}: ${d.count}`;
    r.append(tip);
    r.addEventListener("click", () => { $("#f-from").value = d.date; $("#f-to").value = d.date; reload(); });
    svg.append(r);
  }
  for (const [x, label] of [[pad, days[0].date], [W - pad, days[days.length - 1].date]]) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", x); t.setAttribute("y", H - 3);
    t.setAttribute("text-anchor", x === pad ? "start" : "end");
    t.textContent = label;
    svg.append(t);
  }
  box.append(svg);
}

// ---- table ---------------------------------------------------------------------------------------------------
async function loadEvents() {
  setStatus("…");
  const data = await api("/v1/events?" + filterParams());
  state.total = data.total;
  const body = $("#events tbody");
  body.replaceChildren();
  for (const ev of data.events) {
    const tr = el("tr", { "data-id": ev.id },
      el("td", { dir: "ltr", text: ev.date_start || "—" }),
      el("td", {}, TYPES[ev.event_type] || "", " ", en(ev.event_type)),
      el("td", { dir: "ltr", text: ev.title }),
      el("td", { dir: "ltr", text: ev.place_name || "—" }),
      el("td", { class: "num", text: ev.killed ?? "" }),
      el("td", { class: "num", text: ev.n_sources }));
    tr.addEventListener("click", () => openEvent(ev.id));
    body.append(tr);
  }
  const last = Math.min(state.offset + PAGE, state.total);
  $("#page").textContent = state.total ? `${state.offset + 1}–${last} / ${state.total}` : "0";
  $("#prev").disabled = state.offset === 0;
  $("#next").disabled = last >= state.total;
  setStatus(`${state.total} حدث · events`);
}

async function loadMap() {
  // the map shows up to 1000 events of the filter (most recent first), whatever page the table is on
  const p = filterParams(false);
  p.set("limit", 1000);
  drawMarkers((await api("/v1/events?" + p)).events);
}

async function reload() {
  state.offset = 0;
  try {
    await Promise.all([loadEvents(), loadMap(), drawTimeline()]);
  } catch (err) {
    setStatus("خطأ · error: " + err.message);
  }
}

// ---- one event: its sources, each article with the evidence highlighted ----------------------------------------
async function openEvent(id) {
  state.selected = id;
  for (const tr of document.querySelectorAll("#events tbody tr")) tr.classList.toggle("on", tr.dataset.id === id);
  const ev = await api("/v1/events/" + encodeURIComponent(id));
  const m = state.markers.get(ev.id);
  if (m) m.openTooltip();
  const box = $("#detail");
  box.replaceChildren();
  box.append(el("h2", { dir: "ltr", text: ev.title }));
  const dl = el("dl");
  const row = (ar, eng, value) => { if (value !== null && value !== undefined && value !== "") {
    dl.append(el("dt", {}, ar, " ", en(eng)), el("dd", { dir: "ltr", text: String(value) })); } };
  row("النوع", "type", `${ev.event_type}${ev.mode ? " / " + ev.mode : ""}`);
  row("المكان", "place", ev.place_name && `${ev.place_name}${ev.admin1 ? ", " + ev.admin1 : ""} (${ev.country || "?"})`);
  row("التاريخ", "date", ev.date_start && (ev.date_start === ev.date_end ? ev.date_start : `${ev.date_start} → ${ev.date_end}`));
  row("قتلى", "killed", ev.killed);
  row("جرحى", "injured", ev.injured);
  row("معتقلون", "arrested", ev.arrested);
  row("المصادر", "sources", `${ev.n_sources} (${ev.n_outlets} outlets)`);
  row("الثقة", "confidence", ev.confidence.toFixed(2));
  box.append(dl);
  const legend = el("div", { class: "legend" });
  for (const [kind, [ar, eng]] of Object.entries(KINDS)) {
    legend.append(el("mark", { class: "k-" + kind }, ar, " ", en(eng)));
  }
  box.append(legend);
  for (const src of ev.sources) {
    const sec = el("section", { class: "source", "data-event": src.id });
    sec.append(el("h3", {}, el("span", { dir: "rtl", text: src.title || src.article_id }), " ",
      en(`${src.source || ""} · ${src.published || ""}`)));
    if (src.url) sec.append(el("a", { href: src.url, dir: "ltr", rel: "noreferrer", text: "المقال الأصلي · original" }));
    const art = await api("/v1/articles/" + encodeURIComponent(src.article_id));
    sec.append(highlighted(art.body || "", src.evidence));
    box.append(sec);
  }
}

function highlighted(body, spans) {
  // offsets are in Unicode code points (as Python counts), so the text is cut by code points, not UTF-16 units
  const chars = Array.from(body);
  const cuts = new Set([0, chars.length]);
  const live = spans.filter((s) => s.end > s.start && s.end <= chars.length);
  for (const s of live) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = el("div", { class: "article", dir: "rtl", lang: "ar" });
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const text = chars.slice(a, b).join("");
    const on = live.filter((s) => s.start <= a && s.end >= b);
    if (!on.length) { out.append(text); continue; }
    const kinds = on.map((s) => s.kind);
    out.append(el("mark", { class: kinds.map((k) => "k-" + k).join(" "), "data-kind": kinds.join(" "),
                            title: on.filter((s) => s.label).map((s) => `${s.kind}: ${s.label}`).join("\n") || null },
                  text));
    // English label beside the Arabic words, where a span ends
    const shown = new Set();
    for (const s of on) {
      if (s.end !== b || !s.label || s.kind === "sentence" || shown.has(s.label)) continue;
      shown.add(s.label);
      out.append(el("span", { class: "lbl", dir: "ltr", text: s.label }));
    }
  }
  return out;
}

// ---- wiring --------------------------------------------------------------------------------------------------
for (const [t, ar] of Object.entries(TYPES)) $("#f-type").append(el("option", { value: t, text: `${ar} · ${t}` }));
$("#filters").addEventListener("submit", (e) => { e.preventDefault(); reload(); });
$("#f-reset").addEventListener("click", () => { $("#filters").reset(); reload(); });
$("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadEvents(); });
$("#next").addEventListener("click", () => { state.offset += PAGE; loadEvents(); });
map.on("moveend", () => { if ($("#f-inview").checked) reload(); });
for (const a of document.querySelectorAll(".exports a")) {
  a.addEventListener("click", (e) => { e.preventDefault(); location.href = `/v1/export/${a.dataset.fmt}?` + filterParams(false); });
}
reload();
