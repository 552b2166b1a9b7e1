// The land-release field report (NTS, TS, clearance, progress, completion): the released
// polygon is entered as turning points (bearing and distance from a benchmark, or lat/lon,
// UTM or MGRS positions), pasted coordinates or drawn on the map; the server builds it, and
// the preview shows its shape and geodesic area. The server validates the report and its
// findings are shown next to the fields they name.
import maplibregl, { type GeoJSONSource, type Map as MapLibreMap } from "../maplibre";
import { api, ApiError } from "../api";
import { bounds } from "../bounds";
import { clear, h } from "../dom";
import { num, t, vocabLabel } from "../i18n";
import { organisationField } from "./organisation";

type Vocab = Record<string, { code: string; label: string }[]>;
interface Preview { geometry: GeoJSON.MultiPolygon; area_m2: number; perimeter_m: number; closing_error_m: number; issues: { severity: string; message: string }[] }

function parsePosition(text: string): Record<string, unknown> {
  const s = text.trim();
  const nums = s.split(/[\s,;]+/).map(Number);
  if (nums.length === 2 && nums.every(Number.isFinite)) return { lat: nums[0], lon: nums[1] };
  const compact = s.replace(/\s+/g, "");
  if (/^\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z]{2}\d+$/i.test(compact)) return { mgrs: s };
  return { utm: s };
}

function parseLegs(text: string, mode: string): Record<string, unknown>[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l).map((line) => {
    if (mode === "positions") return parsePosition(line);
    const [b, d] = line.replace(/[°m]/g, " ").split(/[\s,;]+/).filter((x) => x).map(Number);
    return { bearing_deg: b, distance_m: d };
  });
}

function parsePaste(text: string): unknown {
  const s = text.trim();
  if (s.startsWith("{")) {
    const g = JSON.parse(s);
    return g.type === "Feature" ? g.geometry : g;
  }
  const ring = s.split("\n").map((l) => l.trim()).filter((l) => l).map((l) => l.split(/[\s,;]+/).map(Number));
  if (ring.length && JSON.stringify(ring[0]) !== JSON.stringify(ring[ring.length - 1])) ring.push(ring[0]);
  return { type: "Polygon", coordinates: [ring] };
}

export async function renderReport(root: HTMLElement): Promise<void> {
  const [vocab, organisation] = await Promise.all([api<Vocab>("/api/vocabularies"), organisationField()]);
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const today = new Date().toISOString().slice(0, 10);
  const select = (name: string, list: string, value: string) =>
    h("select", { name, "data-field": name }, ...vocab[list].map((v) => h("option", { value: v.code, selected: v.code === value }, vocabLabel(list, v.code, v.label))));
  const field = (label: Parameters<typeof t>[0], input: HTMLElement, name: string) =>
    h("label", { class: "field" }, t(label), input, h("span", { class: "field-error", "data-error-for": name }));

  const hazard = h("input", { name: "hazard", "data-field": "hazard", value: params.get("hazard") ?? "", required: true });
  const further = h("input", { name: "hazards", id: "further-hazards", "data-field": "hazards", placeholder: "HAZ-…, HAZ-…" });
  const localId = h("input", { name: "local_id", "data-field": "local_id", value: `FORM-${Date.now().toString(36).toUpperCase()}` });
  const type = select("activity_type", "activity_type", "progress");
  const status = select("status", "activity_status", "ongoing");
  const start = h("input", { type: "date", name: "start_date", "data-field": "start_date", value: today });
  const end = h("input", { type: "date", name: "end_date", "data-field": "end_date", value: today });
  const date = h("input", { type: "date", name: "date_of_information", "data-field": "date_of_information", value: today });
  const donor = h("input", { name: "donor", "data-field": "donor", placeholder: "ORG-…" });
  const method = select("method", "release_method", "cleared");
  const asset = select("asset_type", "asset_type", "manual");

  const mode = h("select", { id: "traverse-mode" },
    h("option", { value: "legs" }, "bearing° distance m"), h("option", { value: "positions" }, "lat lon / UTM / MGRS"));
  const benchmark = h("input", { id: "benchmark", placeholder: "13.1 103.2" });
  const legs = h("textarea", { id: "legs", rows: 7, placeholder: "0 100\n90 100\n180 100\n270 100" });
  const paste = h("textarea", { id: "paste", rows: 7 });
  const summary = h("p", { id: "polygon-summary", class: "summary" });
  const issues = h("ul", { class: "issues" });
  const mapBox = h("div", { class: "form-map", id: "form-map" });
  let tab = "traverse";
  let drawn: [number, number][] = [];
  let geometry: GeoJSON.MultiPolygon | null = null;
  const panes: Record<string, HTMLElement> = {
    traverse: h("div", {}, h("label", { class: "field" }, "Mode", mode), h("label", { class: "field" }, t("form.benchmark"), benchmark), h("label", { class: "field" }, t("form.legs"), legs)),
    paste: h("div", { hidden: true }, h("label", { class: "field" }, t("form.paste"), paste)),
    draw: h("div", { hidden: true }, h("p", {}, t("form.draw_hint"))),
  };
  const tabButtons = Object.keys(panes).map((k) => h("button", { type: "button", "data-tab": k, class: k === tab ? "active" : undefined, onclick: () => {
    tab = k;
    for (const [name, pane] of Object.entries(panes)) pane.hidden = name !== k;
    tabButtons.forEach((b) => b.classList.toggle("active", b.dataset.tab === k));
    void preview();
  } }, t(`form.tab.${k}` as "form.tab.draw")));

  const message = h("p", { class: "form-message", role: "status" });
  const form = h("form", { class: "report-form", onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
    h("h1", {}, t("form.title")),
    h("div", { class: "form-grid" },
      organisation.field,
      field("form.hazard", hazard, "hazard"), field("form.hazards", further, "hazards"),
      field("form.local_id", localId, "local_id"),
      field("form.activity_type", type, "activity_type"), field("form.status", status, "status"),
      field("form.start", start, "start_date"), field("form.end", end, "end_date"),
      field("form.date", date, "date_of_information"), field("form.method", method, "method"), field("form.asset", asset, "asset_type"),
      field("f.donor", donor, "donor")),
    h("fieldset", {}, h("legend", {}, t("form.polygon")), h("div", { class: "tabs" }, ...tabButtons), ...Object.values(panes),
      h("span", { class: "field-error", "data-error-for": "geometry" }), summary, issues, mapBox),
    h("button", { type: "submit", id: "submit-report" }, t("form.submit")), message);
  root.append(form);

  const map: MapLibreMap = new maplibregl.Map({
    container: mapBox, center: [104.9, 12.6], zoom: 6, attributionControl: false, doubleClickZoom: false,
    style: { version: 8, sources: {
      hazards: { type: "vector", url: `${location.origin}/tiles/hazards.json` },
      shape: { type: "geojson", data: { type: "FeatureCollection", features: [] } },
    }, layers: [
      { id: "bg", type: "background", paint: { "background-color": "#eef1ea" } },
      { id: "hazards", type: "fill", source: "hazards", "source-layer": "hazards", paint: { "fill-color": "#c62828", "fill-opacity": 0.35 } },
      { id: "shape", type: "fill", source: "shape", paint: { "fill-color": "#1b5e20", "fill-opacity": 0.6 } },
      { id: "shape-line", type: "line", source: "shape", paint: { "line-color": "#1b5e20", "line-width": 2 } },
    ] },
  });
  map.on("click", (e) => { if (tab === "draw") { drawn.push([e.lngLat.lng, e.lngLat.lat]); void preview(); } });
  map.on("dblclick", () => { if (tab === "draw") void preview(); });

  let timer = 0;
  for (const el of [benchmark, legs, paste, mode]) el.addEventListener("input", () => { clearTimeout(timer); timer = window.setTimeout(() => void preview(), 300); });

  async function preview(): Promise<void> {
    clear(issues);
    let body: Record<string, unknown>;
    try {
      if (tab === "traverse") {
        const points = parseLegs(legs.value, mode.value);
        if (points.length < 3) return;
        body = { points, benchmark: benchmark.value.trim() ? parsePosition(benchmark.value) : null };
      } else if (tab === "paste") {
        if (!paste.value.trim()) return;
        body = { geometry: parsePaste(paste.value) };
      } else {
        if (drawn.length < 3) return;
        body = { geometry: { type: "Polygon", coordinates: [[...drawn, drawn[0]]] } };
      }
    } catch (e) {
      summary.textContent = String(e);
      return;
    }
    try {
      const p = await api<Preview>("/api/geometry/preview", { method: "POST", body: JSON.stringify(body) });
      geometry = p.geometry;
      summary.textContent = t("form.area", { a: num(p.area_m2), p: num(p.perimeter_m), c: num(p.closing_error_m, 2) });
      issues.append(...p.issues.map((i) => h("li", { class: i.severity }, i.message)));
      (map.getSource("shape") as GeoJSONSource).setData({ type: "Feature", properties: {}, geometry: p.geometry });
      map.fitBounds(bounds([p.geometry]), { padding: 40, maxZoom: 17, duration: 0 });
    } catch (e) {
      geometry = null;
      summary.textContent = e instanceof ApiError ? (e.problem.errors?.map((x) => x.message).join("; ") || e.problem.detail) : String(e);
    }
  }

  async function submit(): Promise<void> {
    form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((el) => (el.textContent = ""));
    message.textContent = "";
    const released = geometry ? [{ method: method.value, asset_type: asset.value, geometry }] : [];
    const report = {
      title: `${type.selectedOptions[0]?.textContent ?? type.value} ${hazard.value}`,
      organisation: organisation.value(),
      source: "web form",
      date_of_information: date.value,
      entries: [{ record: {
        kind: "activity", local_id: localId.value, activity_type: type.value, status: status.value,
        organisation: organisation.value(),
        hazard: hazard.value || null, hazards: further.value.split(/[\s,;]+/).filter(Boolean), start_date: start.value || null, end_date: end.value || null,
        donor: donor.value.trim() || null, assets: [asset.value], released_areas: released,
      } }],
    };
    try {
      const r = await api<{ id: number }>("/api/reports?submit=true", { method: "POST", body: JSON.stringify(report) });
      message.textContent = t("form.submitted", { id: r.id });
      message.className = "form-message ok";
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      message.textContent = `${t("form.invalid")} ${e.problem.errors?.length ? "" : e.problem.detail}`;
      message.className = "form-message error";
      for (const err of e.problem.errors ?? []) {
        const name = err.field.split(".").pop()?.replace(/\[\d+\]$/, "") ?? "";
        const target = form.querySelector<HTMLElement>(`[data-error-for="${name}"]`) ?? message;
        target.textContent = `${target === message ? message.textContent + " " : ""}${err.message}`;
      }
    }
  }
}
