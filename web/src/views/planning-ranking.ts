// Operations planning: the ranking page (#/planning/ranking). The saved criteria with a weight
// each; "Rank" ranks the remaining hazards with the weights as edited; the table shows each
// hazard's score and every criterion's points as a stacked bar (with the numbers as text), the
// hazards that moved against the saved weights, downloads, and a map coloured by score.
// Planners save the edited weights back into the criteria file.
import maplibregl from "../maplibre";
import "maplibre-gl/dist/maplibre-gl.css";
import { ApiError, api, type Me } from "../api";
import { bounds } from "../bounds";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import { label, loadVocab } from "../vocab";
import { mayPlan, planningTabs, table } from "./planning";

interface Criterion { id: string; kind: string; weight: number; [param: string]: unknown }
interface CriteriaFile { toml: string; saved: boolean; updated_by: string | null; updated_at: string | null; criteria: Criterion[] }
interface Contribution { criterion: string; raw: number; value: number; weight: number; points: number }
interface Ranked { rank: number; item: string; local_id: string; name: string; admin_pcode: string | null; remaining_m2: number; score: number; contributions: Contribution[] }
interface Ranking { criteria: Criterion[]; ranking: Ranked[]; moved: { item: string; local_id: string; from: number; to: number }[] }

/** A colour per criterion, in the criteria's order. */
const PALETTE = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457", "#455a64"];

/** What a criterion measures, in words. */
function describe(c: Criterion): string {
  const list = (vocab: string, v: unknown) => (Array.isArray(v) ? v.map((x) => label(vocab, x)).join(", ") : "");
  const km = Number(c.km ?? 0);
  const vars = { km: num(km, Number.isInteger(km) ? 0 : 1), years: num(Number(c.years ?? 0)), layer: String(c.layer ?? "") };
  switch (c.kind) {
    case "casualties_within": return t("plan.kind.casualties_within", vars);
    case "accidents_within": return t("plan.kind.accidents_within", vars);
    case "eo_finds_within": return t("plan.kind.eo_finds_within", vars);
    case "has_evidence": return t("plan.kind.has_evidence", { list: list("evidence_type", c.evidence) });
    case "has_contamination": return t("plan.kind.has_contamination", { list: list("contamination_type", c.contamination) });
    case "has_class": return t("plan.kind.has_class", { list: list("hazard_class", c.classes) });
    case "remaining_area": return t(c.prefer === "smaller" ? "plan.kind.remaining_smaller" : "plan.kind.remaining_larger");
    case "near_layer": return t("plan.kind.near_layer", vars);
    case "layer_count_within": return t("plan.kind.layer_count_within", vars);
    default: return c.kind;
  }
}

/** The criteria file with each criterion's `weight = …` line set to `weights[id]`. */
export function withWeights(toml: string, weights: Record<string, number>): string {
  const lines = toml.split("\n");
  let id: string | null = null;
  let weightLine = -1;
  const flush = () => {
    if (id !== null && weightLine >= 0 && id in weights) {
      lines[weightLine] = lines[weightLine].replace(/^(\s*weight\s*=\s*)[^#]*?(\s*(#.*)?)$/, `$1${weights[id]}$2`);
    }
    id = null;
    weightLine = -1;
  };
  lines.forEach((line, i) => {
    if (/^\s*\[/.test(line)) flush();
    const idMatch = /^\s*id\s*=\s*"([^"]*)"/.exec(line);
    if (idMatch) id = idMatch[1];
    if (/^\s*weight\s*=/.test(line)) weightLine = i;
  });
  flush();
  return lines.join("\n");
}

/** Points with two decimals, never "-0.00". */
const points = (p: number) => num(Math.abs(p) < 0.005 ? 0 : p, 2);

/** A hazard's points per criterion as a stacked bar, with the numbers as text. */
function contributions(r: Ranked, max: number, colour: (id: string) => string): HTMLElement {
  const shown = r.contributions.filter((c) => c.points > 0);
  return h("div", { class: "plan-contrib" },
    h("div", { class: "plan-stack", "aria-hidden": "true" }, ...shown.map((c) => h("span", {
      style: `width:${(c.points / max) * 100}%;background:${colour(c.criterion)}`, title: `${c.criterion}: ${points(c.points)}`,
    }))),
    h("span", { class: "plan-contrib-text" }, r.contributions.map((c) => `${c.criterion} ${points(c.points)}`).join("; ")));
}

/** The map of the ranked hazards' remaining areas, coloured by score. */
async function rankingMap(container: HTMLElement): Promise<void> {
  const data = await api<GeoJSON.FeatureCollection>("/api/planning/ranking?format=geojson");
  if (!data.features.length) { container.parentElement?.remove(); return; }
  const scores = data.features.map((f) => Number(f.properties?.score ?? 0));
  const [lo, hi] = [Math.min(...scores), Math.max(...scores, Math.min(...scores) + 1e-9)];
  // A dot at each hazard too: most are too small to see at the programme's scale.
  const dots: GeoJSON.FeatureCollection = { type: "FeatureCollection", features: data.features.map((f) => {
    const [w, s, e, n] = bounds([f.geometry]).flat();
    return { type: "Feature", properties: f.properties, geometry: { type: "Point", coordinates: [(w + e) / 2, (s + n) / 2] } };
  }) };
  const map = new maplibregl.Map({
    container, attributionControl: false,
    bounds: bounds(data.features.map((f) => f.geometry), 0.02), fitBoundsOptions: { padding: 10 },
    style: { version: 8, sources: { ranking: { type: "geojson", data }, dots: { type: "geojson", data: dots } }, layers: [
      { id: "bg", type: "background", paint: { "background-color": "#eef1ea" } },
      { id: "ranking-fill", type: "fill", source: "ranking", paint: {
        "fill-color": ["interpolate", ["linear"], ["get", "score"], lo, "#fee8c8", hi, "#b30000"], "fill-opacity": 0.85 } },
      { id: "ranking-line", type: "line", source: "ranking", paint: { "line-color": "#5d4037", "line-width": 1 } },
      { id: "ranking-dots", type: "circle", source: "dots", paint: {
        "circle-radius": 6, "circle-stroke-width": 1, "circle-stroke-color": "#5d4037",
        "circle-color": ["interpolate", ["linear"], ["get", "score"], lo, "#fee8c8", hi, "#b30000"] } },
    ] },
  });
  map.on("click", "ranking-dots", (e) => {
    const p = e.features?.[0]?.properties;
    if (p) map.getCanvas().title = `${p.rank}. ${p.local_id} ${p.name}: ${num(Number(p.score), 2)}`;
  });
}

export async function renderRanking(root: HTMLElement, user: Me): Promise<void> {
  const [file] = await Promise.all([api<CriteriaFile>("/api/planning/criteria"), loadVocab()]);
  const planner = mayPlan(user);
  const colour = (id: string) => PALETTE[Math.max(0, file.criteria.findIndex((c) => c.id === id)) % PALETTE.length];
  const inputs = file.criteria.map((c) => h("input", { type: "number", min: 0, step: "any", value: c.weight, name: c.id,
    id: `plan-weight-${c.id}`, class: "plan-weight" }));
  const weights = () => Object.fromEntries(file.criteria.map((c, i) => [c.id, Number(inputs[i].value)]));
  const message = h("p", { class: "form-message error", id: "plan-ranking-message", role: "alert" });
  const saved = h("p", { class: "form-message ok", id: "plan-criteria-saved", role: "status" });
  const result = h("div", { id: "plan-ranking-result" });
  const mapBox = h("div", { id: "plan-ranking-map", class: "dash-map" });

  const rank = async () => {
    message.textContent = "";
    try {
      const r = await api<Ranking>("/api/planning/ranking", { method: "POST", body: JSON.stringify({ weights: weights() }) });
      showRanking(r);
    } catch (err) {
      message.textContent = err instanceof ApiError ? err.problem.detail : String(err);
    }
  };
  const showRanking = (r: Ranking) => {
    const max = Math.max(1e-9, ...r.ranking.map((x) => x.score));
    result.replaceChildren(
      ...(r.moved.length ? [h("section", { id: "plan-moved", "aria-labelledby": "plan-moved-title" },
        h("h2", { id: "plan-moved-title" }, t("plan.moved")),
        h("ul", {}, ...r.moved.map((m) => h("li", { "data-item": m.item }, t("plan.moved_row", { id: m.local_id, from: m.from, to: m.to })))))] : []),
      h("ul", { class: "review-legend", id: "plan-criteria-legend", "aria-label": t("map.legend") },
        ...r.criteria.map((c) => h("li", {}, h("span", { class: "swatch", style: `background:${colour(c.id)}` }), c.id))),
      table("plan-ranking", [t("plan.col.rank"), t("col.local_id"), t("col.name"), t("col.admin"), t("plan.col.remaining"),
        t("plan.col.score"), t("plan.col.points")],
      r.ranking.map((x) => h("tr", { "data-item": x.item },
        h("td", { class: "num" }, num(x.rank)), h("td", {}, h("a", { href: `#/hazards/${x.item}` }, x.local_id)), h("td", {}, x.name),
        h("td", {}, x.admin_pcode ?? ""), h("td", { class: "num" }, num(x.remaining_m2)),
        h("td", { class: "num plan-score" }, points(x.score)), h("td", {}, contributions(x, max, colour)))), [0, 4, 5]));
  };

  const save = async () => {
    message.textContent = "";
    saved.textContent = "";
    try {
      const next = await api<CriteriaFile>("/api/planning/criteria", { method: "PUT",
        body: JSON.stringify({ toml: withWeights(file.toml, weights()) }) });
      Object.assign(file, next);
      saved.textContent = t("plan.criteria_saved");
      await rank();
    } catch (err) {
      message.textContent = err instanceof ApiError
        ? [err.problem.detail, ...(err.problem.errors ?? []).map((e) => e.message)].join(" ")
        : String(err);
    }
  };

  root.append(h("h1", {}, t("plan.ranking_title")), planningTabs("#/planning/ranking"),
    h("section", { id: "plan-criteria", "aria-labelledby": "plan-criteria-title" },
      h("h2", { id: "plan-criteria-title" }, t("plan.criteria")),
      h("p", { class: "counts" }, file.saved && file.updated_at
        ? t("plan.criteria_by", { who: file.updated_by ?? "", when: date(file.updated_at) }) : t("plan.criteria_default")),
      h("ul", { class: "plan-criteria" }, ...file.criteria.map((c, i) => h("li", { "data-criterion": c.id },
        h("label", { for: inputs[i].id }, h("strong", {}, c.id), " ", h("small", {}, describe(c))),
        h("span", { class: "plan-weight-field" }, t("plan.weight"), " ", inputs[i])))),
      h("div", { class: "actions" },
        h("button", { type: "button", id: "plan-rank", onclick: () => void rank() }, t("plan.rank")),
        planner ? h("button", { type: "button", id: "plan-save-weights", onclick: () => void save() }, t("plan.save_weights")) : null),
      message, saved),
    h("p", { class: "downloads" }, `${t("plan.download")}: `,
      h("a", { href: "/api/planning/ranking?format=csv", id: "plan-ranking-csv", download: "ranking.csv" }, "CSV"),
      h("a", { href: "/api/planning/ranking?format=xlsx", id: "plan-ranking-xlsx", download: "ranking.xlsx" }, "XLSX")),
    result,
    h("section", { "aria-labelledby": "plan-ranking-map-title" },
      h("h2", { id: "plan-ranking-map-title" }, t("plan.ranking_map")),
      h("p", { class: "counts" }, t("plan.ranking_map_note")),
      mapBox));
  await rank();
  await rankingMap(mapBox);
}
