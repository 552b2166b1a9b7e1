// The dashboard's map of remaining contamination: each admin area with a boundary coloured by
// the area its hazards still cover (classes of equal counts), a legend, and a click that opens
// the hazard list of that area; the remaining hazards drawn over it from the vector tiles.
// Without any boundary, the map shows the remaining hazards alone.
import type { LayerSpecification } from "maplibre-gl";
import maplibregl, { type MapLayerMouseEvent } from "../maplibre";
import { api } from "../api";
import { bounds } from "../bounds";
import { h } from "../dom";
import { num, t } from "../i18n";

/** The admin areas of the deepest level with boundaries, with their figures (/api/dashboard). */
export interface AdminBoundaries {
  type: "FeatureCollection";
  features: { type: "Feature"; geometry: GeoJSON.Geometry;
    properties: { pcode: string; name: string; level: number; hazards: number; remaining_m2: number } }[];
}

/** Colour of areas with nothing remaining, then of each class, lightest first. */
const NONE = "#f2f2ee";
const CLASSES = ["#fdd0a2", "#fdae6b", "#f16913", "#d94801", "#7f2704"];

/** `v` rounded down to two significant digits (legible class bounds). */
function round2(v: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(v)) - 1);
  return Math.floor(v / unit) * unit;
}

/** Lower bounds of the classes (up to five, about two areas each at least) of equal counts of
 * the positive values, rounded down to two significant digits. */
export function breaks(values: number[]): number[] {
  const positive = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (!positive.length) return [];
  const n = Math.min(CLASSES.length, Math.max(1, Math.round(positive.length / 2)));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = i === 0 ? Math.min(1, positive[0]) : round2(positive[Math.floor((i * positive.length) / n)]);
    if (!out.length || b > out[out.length - 1]) out.push(b);
  }
  return out;
}

const hazardLayers: LayerSpecification[] = [
  { id: "remaining", type: "fill", source: "hazards", "source-layer": "hazards",
    filter: [">", ["get", "remaining_m2"], 0],
    paint: { "fill-color": ["match", ["get", "class"], "cha", "#c62828", "#f4a261"], "fill-opacity": 0.8 } },
  { id: "remaining-line", type: "line", source: "hazards", "source-layer": "hazards",
    filter: [">", ["get", "remaining_m2"], 0],
    paint: { "line-color": ["match", ["get", "class"], "cha", "#c62828", "#f4a261"], "line-width": 2 } },
];

/** Draws the map in `container` and its legend in `legend`. */
export async function renderAdminMap(container: HTMLElement, legend: HTMLElement, areas: AdminBoundaries): Promise<void> {
  const tiles = { type: "vector" as const, url: `${location.origin}/tiles/hazards.json` };
  const bg = { id: "bg", type: "background" as const, paint: { "background-color": "#eef1ea" } };
  if (!areas.features.length) {
    const tj = await api<{ bounds: [number, number, number, number] }>("/tiles/hazards.json");
    new maplibregl.Map({
      container, attributionControl: false, interactive: true,
      bounds: tj.bounds, fitBoundsOptions: { padding: 10 },
      style: { version: 8, sources: { hazards: tiles }, layers: [bg, ...hazardLayers] },
    });
    return;
  }
  const steps = breaks(areas.features.map((f) => f.properties.remaining_m2));
  const colour: unknown[] = ["step", ["get", "remaining_m2"], NONE];
  steps.forEach((b, i) => colour.push(b, CLASSES[i + CLASSES.length - steps.length]));
  const classColour = (i: number) => CLASSES[i + CLASSES.length - steps.length];
  legend.replaceChildren(
    h("span", {}, h("span", { class: "swatch", style: `background:${NONE}` }), t("dash.map_none")),
    ...steps.map((b, i) => h("span", {}, h("span", { class: "swatch", style: `background:${classColour(i)}` }),
      i + 1 < steps.length ? `${num(b)}–${num(steps[i + 1])} m²` : `≥ ${num(b)} m²`)),
    h("span", {}, h("span", { class: "swatch", style: "background:#c62828" }), t("dash.map_hazards")));
  const map = new maplibregl.Map({
    container, attributionControl: false, interactive: true,
    bounds: bounds(areas.features.map((f) => f.geometry), 0.05), fitBoundsOptions: { padding: 10 },
    style: { version: 8, sources: { hazards: tiles, admin: { type: "geojson", data: areas as GeoJSON.FeatureCollection } }, layers: [
      bg,
      { id: "admin-fill", type: "fill", source: "admin",
        paint: { "fill-color": colour as never, "fill-opacity": 0.85 } },
      { id: "admin-line", type: "line", source: "admin", paint: { "line-color": "#5d4037", "line-width": 1 } },
      ...hazardLayers,
    ] },
  });
  // Which areas the map drew (the end-to-end test reads it), and the way to their hazards.
  map.on("idle", () => {
    const drawn = new Set(map.queryRenderedFeatures({ layers: ["admin-fill"] }).map((f) => String(f.properties?.pcode)));
    container.dataset.drawnAreas = [...drawn].sort().join(" ");
  });
  map.on("mousemove", "admin-fill", (e: MapLayerMouseEvent) => {
    const p = e.features?.[0]?.properties;
    map.getCanvas().style.cursor = "pointer";
    map.getCanvas().title = p ? `${p.name} (${p.pcode}): ${num(Number(p.remaining_m2))} m², ${num(Number(p.hazards))} ${t("dash.hazards").toLowerCase()}` : "";
  });
  map.on("mouseleave", "admin-fill", () => { map.getCanvas().style.cursor = ""; map.getCanvas().title = ""; });
  map.on("click", "admin-fill", (e: MapLayerMouseEvent) => {
    // The first feature is the one drawn on top: the smallest area under the click.
    const pcode = e.features?.[0]?.properties?.pcode as string | undefined;
    if (pcode) location.hash = `#/hazards?admin_pcode=${encodeURIComponent(pcode)}`;
  });
}
