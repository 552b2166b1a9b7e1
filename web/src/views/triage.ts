// Detection triage (#/triage): the queue of a detector's pending detections, one at a time, the
// image chip beside a small map (the orthophoto, the detection, the hazards near it). A
// reviewer gives each a verdict: confirmed (an EO find in a report submitted for the usual
// approval), false positive or not verifiable, with keyboard shortcuts; then the next one.
// A detection is a find only once a person confirms it and the report is approved.
import maplibregl, { type GeoJSONSource, type Map as MapLibreMap } from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { ApiError, api, type Me } from "../api";
import { h } from "../dom";
import { num, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { label, loadVocab } from "../vocab";
import {
  type Detection, detectionMetrics, detections, feature, giveVerdict, orthoId, orthoLayer,
  orthoSource, orthophotos,
} from "./evidence";

/** The verdict buttons: verdict, label, shortcut key. */
const BUTTONS: [string, MessageKey, string][] = [
  ["confirmed", "triage.confirmed", "c"],
  ["false_positive", "triage.false_positive", "f"],
  ["not_verifiable", "triage.not_verifiable", "n"],
];

/** The point or footprint of a detection, for the map. */
function detectionGeometry(d: Detection): GeoJSON.Geometry {
  return d.footprint ?? { type: "Point", coordinates: [d.lon, d.lat] };
}

/** Counts renderings: a shortcut listener of an earlier one removes itself. */
let rendering = 0;

/** The triage page; `model` the detector shown (all when empty), `notice` the last verdict's result. */
export async function renderTriage(root: HTMLElement, user: Me, model = "", notice: Node | null = null): Promise<void> {
  const [queue, images, metrics, vocab] = await Promise.all([
    detections("pending", model),
    orthophotos(),
    detectionMetrics().catch(() => ({ rows: [] })),
    loadVocab(),
  ]);
  const mine = ++rendering;
  const reviewer = user.may.review;
  const pending = queue.items.filter((d) => d.verdict === "pending");
  const total = queue.total ?? pending.length;
  const models = [...new Set(metrics.rows.map((r) => r.model).concat(model ? [model] : []))].sort();
  const again = (m: string, n: Node | null) => { root.replaceChildren(); void renderTriage(root, user, m, n); };

  const filter = h("select", { id: "triage-model", onchange: (e: Event) => {
    const m = (e.target as HTMLSelectElement).value;
    location.hash = m ? `#/triage?model=${encodeURIComponent(m)}` : "#/triage";
  } },
    h("option", { value: "" }, t("triage.all_models")),
    ...models.map((m) => h("option", { value: m, selected: m === model }, m)));
  root.append(
    h("h1", {}, t("triage.title")),
    h("p", { class: "note triage-rule", id: "triage-rule" }, t("triage.rule")),
    h("div", { class: "triage-bar" },
      h("label", { class: "field" }, t("triage.model"), filter),
      h("p", { id: "triage-count", class: "triage-count", role: "status", "data-count": total }, t("triage.pending_n", { n: num(total) }))),
    h("div", { id: "triage-notice", class: "form-message ok", role: "status" }, notice ?? ""),
  );
  if (!reviewer) root.append(h("p", { class: "note", id: "triage-view-only" }, t("triage.view_only")));
  if (pending.length === 0) {
    root.append(h("p", { id: "triage-empty" }, t("triage.empty")));
    return;
  }

  let index = 0;
  const chip = h("img", { id: "triage-chip", class: "triage-chip", width: 256, height: 256, alt: "" });
  const chipMissing = h("p", { class: "note", id: "triage-no-chip", hidden: true }, t("triage.no_chip"));
  const mapBox = h("div", { id: "triage-map", class: "triage-map" });
  const facts = h("dl", { id: "triage-facts", class: "triage-facts" });
  const position = h("p", { id: "triage-position", class: "note" });
  const message = h("p", { class: "form-message error", id: "triage-message", role: "alert" });
  const note = h("textarea", { id: "triage-note", rows: 2, name: "note" });
  const category = h("select", { id: "triage-category", name: "category", required: true },
    h("option", { value: "" }, t("triage.choose_category")),
    ...(vocab.ordnance_category ?? []).map((c) => h("option", { value: c.code }, label("ordnance_category", c.code))));
  const quantity = h("input", { id: "triage-quantity", name: "quantity", type: "number", min: 1, step: 1, value: 1 });
  const slot = (name: string) => h("span", { class: "field-error", "data-error-for": name });
  const confirmForm = h("form", { id: "triage-confirm", class: "triage-confirm", hidden: true },
    h("div", { class: "form-grid" },
      h("label", { class: "field" }, t("f.category"), category, slot("category")),
      h("label", { class: "field" }, t("f.quantity"), quantity, slot("quantity"))),
    h("div", { class: "actions" },
      h("button", { type: "submit", id: "triage-confirm-submit" }, t("triage.confirm_submit")),
      h("button", { type: "button", id: "triage-confirm-cancel", onclick: () => { confirmForm.hidden = true; } }, t("triage.cancel"))));

  const current = () => pending[index];
  let busy = false;
  const decide = async (verdict: string) => {
    const d = current();
    if (busy || !d) return;
    if (verdict === "confirmed" && confirmForm.hidden) {
      confirmForm.hidden = false;
      category.focus();
      return;
    }
    const body: Parameters<typeof giveVerdict>[1] = { verdict };
    if (note.value.trim()) body.note = note.value.trim();
    if (verdict === "confirmed") {
      body.category = category.value;
      body.quantity = Number(quantity.value || "1");
    }
    busy = true;
    root.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
    message.textContent = "";
    try {
      const done = await giveVerdict(d.id, body);
      again(model, result(done));
    } catch (err) {
      busy = false;
      if (!(err instanceof ApiError)) throw err;
      message.textContent = err.problem.detail;
      for (const f of err.problem.errors ?? []) {
        const s = root.querySelector<HTMLElement>(`[data-error-for="${f.field}"]`);
        if (s) s.textContent = f.message;
        else message.textContent += ` ${f.message}`;
      }
      if (err.problem.status === 409) again(model, h("span", {}, t("triage.already", { id: String(d.id) })));
    }
  };
  confirmForm.addEventListener("submit", (e) => { e.preventDefault(); void decide("confirmed"); });

  const buttons = h("div", { class: "actions triage-actions", id: "triage-actions" },
    ...BUTTONS.map(([verdict, key, shortcut]) => h("button", {
      type: "button", "data-verdict": verdict, "aria-keyshortcuts": shortcut, disabled: !reviewer,
      onclick: () => void decide(verdict),
    }, t(key), " ", h("kbd", {}, shortcut.toUpperCase()))),
    h("button", { type: "button", id: "triage-skip", "aria-keyshortcuts": "s", onclick: () => show(index + 1) },
      t("triage.skip"), " ", h("kbd", {}, "S")));

  root.append(h("div", { class: "triage-top" },
    h("figure", { class: "triage-figure" }, chip, chipMissing, h("figcaption", {}, t("triage.chip_caption"))),
    mapBox,
    h("section", { class: "triage-side", "aria-labelledby": "triage-current" },
      h("h2", { id: "triage-current" }, t("triage.current")), position, facts,
      reviewer ? h("label", { class: "field" }, t("triage.note"), note) : null,
      reviewer ? buttons : null, reviewer ? confirmForm : null, message,
      reviewer ? h("p", { class: "note", id: "triage-keys" }, t("triage.keys")) : null)));

  let map: MapLibreMap | null = null;
  let ready = false;
  const byId = new Map(images.map((o) => [String(o.id), o]));
  const onMap = new Set<string>();
  /** Shows the orthophoto of `d` (and hides the others) and the detection. */
  const drawMap = (d: Detection) => {
    if (!map || !ready) return;
    const o = d.orthophoto === null ? undefined : byId.get(String(d.orthophoto));
    for (const id of onMap) map.setLayoutProperty(orthoId(id), "visibility", o && String(o.id) === id ? "visible" : "none");
    if (o && !onMap.has(String(o.id))) {
      map.addSource(orthoId(o.id), orthoSource(o));
      map.addLayer(orthoLayer(o), "hazards-line");
      onMap.add(String(o.id));
    }
    (map.getSource("detection") as GeoJSONSource).setData(feature(detectionGeometry(d)));
    (map.getSource("centre") as GeoJSONSource).setData(feature({ type: "Point", coordinates: [d.lon, d.lat] }));
    map.jumpTo({ center: [d.lon, d.lat], zoom: Math.min(19, Math.max(16, o?.maxzoom ?? 18) - 1) });
  };
  const show = (i: number) => {
    index = ((i % pending.length) + pending.length) % pending.length;
    const d = current();
    confirmForm.hidden = true;
    message.textContent = "";
    position.textContent = t("triage.position", { n: index + 1, of: pending.length });
    chip.hidden = false;
    chipMissing.hidden = true;
    chip.alt = t("triage.chip_alt", { class: d.class, model: d.model });
    chip.src = `/api/detections/${encodeURIComponent(String(d.id))}/chip`;
    chip.dataset.detection = String(d.id);
    const o = d.orthophoto === null ? undefined : byId.get(String(d.orthophoto));
    const fact = (k: MessageKey, v: string, id: string) => [h("dt", {}, t(k)), h("dd", { id }, v)];
    facts.replaceChildren(
      ...fact("triage.model", d.model, "triage-model-name"),
      ...fact("triage.version", d.model_version, "triage-version"),
      ...fact("triage.class", d.class, "triage-class"),
      ...fact("triage.confidence", num(d.confidence, 2), "triage-confidence"),
      ...fact("triage.position_lonlat", `${num(d.lat, 6)}, ${num(d.lon, 6)}`, "triage-lonlat"),
      ...fact("triage.orthophoto", o?.name ?? t("f.none"), "triage-ortho"),
    );
    root.dataset.detection = String(d.id);
    drawMap(d);
  };
  chip.addEventListener("error", () => { chip.hidden = true; chipMissing.hidden = false; });

  const tilejson = await api<{ bounds: [number, number, number, number] }>("/tiles/hazards.json");
  const first = pending[0];
  map = new maplibregl.Map({
    container: mapBox, center: [first.lon, first.lat], zoom: 17, attributionControl: false,
    style: {
      version: 8,
      sources: {
        hazards: { type: "vector", url: `${location.origin}/tiles/hazards.json`, bounds: tilejson.bounds },
        detection: { type: "geojson", data: feature(detectionGeometry(first)) },
        centre: { type: "geojson", data: feature({ type: "Point", coordinates: [first.lon, first.lat] }) },
      },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#eef1ea" } },
        { id: "hazards-line", type: "line", source: "hazards", "source-layer": "hazards", paint: { "line-color": "#c62828", "line-width": 2 } },
        { id: "detection-fill", type: "fill", source: "detection", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#ffeb3b", "fill-opacity": 0.25 } },
        { id: "detection-line", type: "line", source: "detection", paint: { "line-color": "#ffeb3b", "line-width": 2.5 } },
        // A ring around the detection's position, seen whatever the size of its footprint.
        { id: "detection-ring", type: "circle", source: "centre",
          paint: { "circle-radius": 16, "circle-opacity": 0, "circle-stroke-color": "#ffeb3b", "circle-stroke-width": 3 } },
      ],
    },
  });
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));
  (window as unknown as { sgTriageMap: MapLibreMap }).sgTriageMap = map;
  map.on("load", () => { ready = true; drawMap(current()); });
  show(0);

  // Shortcuts, unless the user is typing or the page has changed.
  const onKey = (e: KeyboardEvent) => {
    if (mine !== rendering || !root.isConnected || !location.hash.startsWith("#/triage")) {
      document.removeEventListener("keydown", onKey);
      return;
    }
    const target = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || target.closest("input, textarea, select")) return;
    const key = e.key.toLowerCase();
    const hit = BUTTONS.find(([, , k]) => k === key);
    if (hit && reviewer) { e.preventDefault(); void decide(hit[0]); }
    else if (key === "s") { e.preventDefault(); show(index + 1); }
  };
  document.addEventListener("keydown", onKey);
}

/** What a verdict did, in words; a confirmed one links the report it went into. */
function result(d: Detection): Node {
  const verdict = t(`triage.${d.verdict}` as MessageKey);
  if (d.verdict === "confirmed" && d.report !== null) {
    return h("span", { id: "triage-result", "data-verdict": d.verdict },
      t("triage.confirmed_into", { id: String(d.id), find: d.eo_find ?? "" }), " ",
      h("a", { href: `#/review/${d.report}`, id: "triage-report", "data-report": d.report }, t("review.report", { id: d.report })),
      " · ", t("triage.rule"));
  }
  return h("span", { id: "triage-result", "data-verdict": d.verdict }, t("triage.marked", { id: String(d.id), verdict }));
}
