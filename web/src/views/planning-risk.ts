// Operations planning: the risk map (#/planning/risk). A model (kernel density or gradient
// boosted trees) scores grid cells for where contamination is likely; the map colours the cells
// by score decile, and the validation table says how well the model ranked cells it had not
// seen (spatial cross-validation and a split in time). A model ranks where to survey; it never
// opens or closes a hazard.
import maplibregl from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { ApiError, api } from "../api";
import { bounds } from "../bounds";
import { h } from "../dom";
import { num, t } from "../i18n";
import { planningTabs, table } from "./planning";

interface Scores { auc: number; precision_top_decile: number; base_rate: number; positives: number; cells: number }
interface Risk {
  validation: { model: string; spatial_cv: Scores; time_split: Scores | null; split_year: number | null; cells: number; blocks: number; folds: number };
  cells: GeoJSON.FeatureCollection;
}

/** Colours of the deciles, 1 (the highest scores) first. */
const DECILES = ["#67000d", "#a50f15", "#cb181d", "#ef3b2c", "#fb6a4a", "#fc9272", "#fcbba1", "#fee0d2", "#fff5f0", "#ffffff"];

const share = (p: number) => `${num(p * 100, 1)} %`;

/** The validation scores as a table. */
function validation(v: Risk["validation"]): HTMLElement {
  const row = (name: string, s: Scores | null) => s
    ? h("tr", {}, h("th", { scope: "row" }, name), h("td", { class: "num" }, num(s.auc, 2)),
      h("td", { class: "num" }, share(s.precision_top_decile)), h("td", { class: "num" }, share(s.base_rate)),
      h("td", { class: "num" }, num(s.cells)), h("td", { class: "num" }, num(s.positives)))
    : h("tr", {}, h("th", { scope: "row" }, name), h("td", { colspan: 5 }, t("plan.no_data")));
  return h("section", { "aria-labelledby": "plan-validation-title" },
    h("h2", { id: "plan-validation-title" }, t("plan.validation")),
    table("plan-validation", [t("plan.col.test"), "AUC", t("plan.col.precision"), t("plan.col.base_rate"), t("plan.col.cells"),
      t("plan.col.positives")], [
      row(t("plan.spatial_cv", { folds: num(v.folds), blocks: num(v.blocks) }), v.spatial_cv),
      row(v.split_year === null ? t("plan.time_split_none") : t("plan.time_split", { year: v.split_year }), v.time_split),
    ], [1, 2, 3, 4, 5]));
}

/** The cells on a map, coloured by decile. */
function riskMap(container: HTMLElement, cells: GeoJSON.FeatureCollection): void {
  if (!cells.features.length) return;
  const colour: unknown[] = ["match", ["get", "decile"]];
  DECILES.forEach((c, i) => colour.push(i + 1, c));
  colour.push("#ffffff");
  new maplibregl.Map({
    container, attributionControl: false,
    bounds: bounds(cells.features.map((f) => f.geometry), 0.01), fitBoundsOptions: { padding: 10 },
    style: { version: 8, sources: { cells: { type: "geojson", data: cells } }, layers: [
      { id: "bg", type: "background", paint: { "background-color": "#eef1ea" } },
      { id: "cells-fill", type: "fill", source: "cells", paint: { "fill-color": colour as never, "fill-opacity": 0.8 } },
    ] },
  });
}

/** The model's map and validation. */
async function showRisk(out: HTMLElement, model: string): Promise<void> {
  out.replaceChildren(h("p", { role: "status" }, t("plan.computing")));
  let r: Risk;
  try {
    r = await api<Risk>(`/api/planning/risk?model=${encodeURIComponent(model)}`);
  } catch (err) {
    if (!(err instanceof ApiError) || err.problem.status !== 422) throw err;
    out.replaceChildren(h("p", { class: "error", id: "plan-risk-error", role: "alert" }, err.problem.detail));
    return;
  }
  const container = h("div", { id: "plan-risk-map", class: "dash-map" });
  const legend = h("ul", { class: "review-legend", id: "plan-risk-legend", "aria-label": t("map.legend") },
    ...DECILES.map((c, i) => h("li", {}, h("span", { class: "swatch", style: `background:${c}` }),
      i === 0 ? t("plan.decile_top") : i === DECILES.length - 1 ? t("plan.decile_bottom") : t("plan.decile", { n: i + 1 }))));
  out.replaceChildren(
    h("section", { "aria-labelledby": "plan-risk-map-title" },
      h("h2", { id: "plan-risk-map-title" }, t("plan.risk_map", { cells: num(r.validation.cells) })), container, legend),
    validation(r.validation));
  riskMap(container, r.cells);
}

export async function renderRisk(root: HTMLElement): Promise<void> {
  const model = h("select", { id: "plan-risk-model", name: "model" },
    h("option", { value: "kde" }, t("plan.model.kde")), h("option", { value: "gbt" }, t("plan.model.gbt")));
  const out = h("div", { id: "plan-risk", "aria-live": "polite" });
  model.addEventListener("change", () => void showRisk(out, model.value));
  root.append(h("h1", {}, t("plan.risk_title")), planningTabs("#/planning/risk"),
    h("p", { class: "break-glass-warning", id: "plan-risk-rule" }, t("plan.risk_rule")),
    h("label", { class: "field plan-model" }, t("plan.model"), model), out);
  await showRisk(out, model.value);
}
