// The dashboard: every figure comes from /api/dashboard and links to the records behind it;
// each table says in one line what it counts.
import { api } from "../api";
import { h } from "../dom";
import { num, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { label, loadVocab } from "../vocab";
import { type AdminBoundaries, renderAdminMap } from "./admin-map";
import { type MetricsRow, detectionMetrics, pct } from "./evidence";

interface Released { cancelled_m2: number; reduced_m2: number; cleared_m2: number }
interface Dashboard {
  totals: { hazards: number; remaining_m2: number; cancelled_m2: number; reduced_m2: number; cleared_m2: number };
  land_released_by_year: (Released & { year: number })[];
  land_released_by_asset: (Released & { asset_type: string })[];
  remaining_by_admin: { admin_pcode: string; name: string | null; hazards: number; remaining_m2: number }[];
  eo_destroyed_by_category: { category: string; records: number; quantity: number }[];
  eo_found_by_category: { category: string; records: number; quantity: number; disposed: number; not_disposed: number; date_unknown: number }[];
  accidents_by_year: { year: number | null; accidents: number; with_victims: number; without_victims: number; killed: number; injured: number }[];
  casualties: { year: number | null; sex: string; age_group: string; killed: number; injured: number }[];
  risk_education_beneficiaries: { sex: string; age_band: string; direct: number; indirect: number }[];
  land_released_outside_hazards: { by_method: (Outside & { method: string })[]; total: Outside };
  admin_boundaries: AdminBoundaries;
  productivity: { method: string; asset_type: string | null; m2_per_day: { samples: number; q1: number; median: number; q3: number } }[];
}
interface Outside { outside_m2: number; activities: number; entirely_outside: number }

const METHODS: [keyof Released, string, string][] = [
  ["cancelled_m2", "#a5d6a7", "method.cancelled"],
  ["reduced_m2", "#43a047", "method.reduced"],
  ["cleared_m2", "#1b5e20", "method.cleared"],
];

/** A stacked bar chart (SVG) of released area per label. */
function bars(rows: (Released & { label: string; href: string })[]): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const width = 640, rowH = 22, labelW = 120;
  const max = Math.max(1, ...rows.map((r) => r.cancelled_m2 + r.reduced_m2 + r.cleared_m2));
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * rowH + 4}`);
  svg.setAttribute("class", "chart");
  rows.forEach((r, i) => {
    const link = document.createElementNS(ns, "a");
    link.setAttribute("href", r.href);
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", "0");
    text.setAttribute("y", String(i * rowH + 15));
    text.textContent = r.label;
    link.append(text);
    svg.append(link);
    let x = labelW;
    for (const [key, colour, label] of METHODS) {
      const w = (r[key] / max) * (width - labelW - 10);
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String(x));
      rect.setAttribute("y", String(i * rowH + 3));
      rect.setAttribute("width", String(Math.max(0, w)));
      rect.setAttribute("height", String(rowH - 6));
      rect.setAttribute("fill", colour);
      const title = document.createElementNS(ns, "title");
      title.textContent = `${r.label} · ${t(label as "method.cleared")}: ${num(r[key])} m²`;
      rect.append(title);
      svg.append(rect);
      x += w;
    }
  });
  return svg;
}

function table(head: string[], rows: (string | Node)[][]): HTMLTableElement {
  return h("table", { class: "records" },
    h("thead", {}, h("tr", {}, ...head.map((c) => h("th", {}, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", { class: typeof c === "string" && /^[\d.,\s]+$/.test(c) ? "num" : undefined }, c))))));
}

/** A table's heading and the line that says what it counts. */
function heading(title: MessageKey, counts: MessageKey): HTMLElement[] {
  return [h("h2", {}, t(title)), h("p", { class: "note counts" }, t(counts))];
}

/** The detectors' figures: precision, recall and calibration error per model, version and class
 * (the "*" row of a model, all its classes, in bold), with a legend of what each means. */
function detectors(rows: MetricsRow[]): HTMLElement {
  const ece = (v: number | null) => (v === null ? "—" : num(v, 3));
  const head = [t("det.model"), t("det.version"), t("det.class"), t("det.detections"), t("det.confirmed"),
    t("det.false_positive"), t("det.not_verifiable"), t("det.pending"), t("det.precision"), t("det.recall"), t("det.ece")];
  return h("section", { id: "dash-detectors" }, ...heading("det.title", "det.counts"),
    h("table", { class: "records", id: "detector-metrics" },
      h("thead", {}, h("tr", {}, ...head.map((c, i) => h("th", { scope: "col", class: i >= 3 ? "num" : undefined }, c)))),
      h("tbody", {}, ...rows.map((r) => h("tr", { class: r.class === "*" ? "all-classes" : undefined, "data-model": r.model, "data-class": r.class },
        h("td", {}, r.model), h("td", {}, r.model_version), h("td", {}, r.class === "*" ? t("det.all_classes") : r.class),
        ...[num(r.detections), num(r.confirmed), num(r.false_positive), num(r.not_verifiable), num(r.pending),
          pct(r.precision), pct(r.recall), ece(r.expected_calibration_error)].map((v) => h("td", { class: "num" }, v)))))),
    h("p", { class: "note counts", id: "detector-legend" }, t("det.legend")),
    h("p", {}, h("a", { href: "#/triage" }, t("det.to_triage"))));
}

/** The dashboard; `exact` says whether the user sees victims' and accidents' exact dates (the
 *  server filters accident lists by date only for them). */
export async function renderDashboard(root: HTMLElement, exact: boolean): Promise<void> {
  const [d, metrics] = await Promise.all([api<Dashboard>("/api/dashboard"), detectionMetrics().catch(() => null), loadVocab()]);
  const age = (g: string) => t(`age.${g}` as "age.child");
  const card = (label: string, value: string, id: string, href: string) =>
    h("a", { class: "card", id, href }, h("span", {}, label), h("strong", {}, value));
  root.append(
    h("h1", {}, t("dash.title")),
    h("section", { class: "cards", "aria-label": t("dash.totals") },
      card(t("dash.hazards"), num(d.totals.hazards), "total-hazards", "#/hazards"),
      card(t("hazard.remaining"), `${num(d.totals.remaining_m2)} m²`, "total-remaining", "#/hazards?sort=remaining_m2&order=desc"),
      card(t("method.cancelled"), `${num(d.totals.cancelled_m2)} m²`, "total-cancelled", "#/records/activity?activity_type=nts"),
      card(t("method.reduced"), `${num(d.totals.reduced_m2)} m²`, "total-reduced", "#/records/activity?activity_type=ts"),
      card(t("method.cleared"), `${num(d.totals.cleared_m2)} m²`, "total-cleared", "#/records/activity"),
    ),
    ...heading("dash.remaining_admin", "dash.remaining_counts"),
    h("div", { class: "dash-map", id: "dashboard-map" }),
    h("div", { class: "legend inline", id: "dashboard-map-legend" }),
    ...heading("dash.released_year", "dash.released_year_counts"),
    bars(d.land_released_by_year.map((r) => ({ ...r, label: String(r.year), href: `#/records/activity?date_of_information=${r.year}*` }))),
    h("div", { class: "legend inline" }, ...METHODS.map(([, c, l]) => h("span", {}, h("span", { class: "swatch", style: `background:${c}` }), t(l as "method.cleared")))),
    ...heading("dash.released_asset", "dash.released_asset_counts"),
    bars(d.land_released_by_asset.map((r) => ({ ...r, label: r.asset_type === "not_recorded" ? t("f.none") : label("asset_type", r.asset_type), href: `#/records/activity?assets=*${r.asset_type === "not_recorded" ? "[]" : r.asset_type}*` }))),
    table([t("col.admin"), t("dash.hazards"), t("hazard.remaining")],
      d.remaining_by_admin.map((r) => [
        h("a", { href: `#/hazards?admin_pcode=${encodeURIComponent(r.admin_pcode)}` }, `${r.name ?? ""} (${r.admin_pcode})`),
        num(r.hazards), `${num(r.remaining_m2)} m²`])),
    h("section", { id: "dash-outside" }, ...heading("dash.outside", "dash.outside_counts"),
      table([t("dash.method"), t("dash.outside_m2"), t("dash.outside_activities"), t("dash.entirely_outside")],
        [...d.land_released_outside_hazards.by_method.map((r) => [t(`method.${r.method}` as "method.cleared"),
          `${num(r.outside_m2)} m²`, num(r.activities), num(r.entirely_outside)]),
        [t("dash.total"), `${num(d.land_released_outside_hazards.total.outside_m2)} m²`,
          num(d.land_released_outside_hazards.total.activities), num(d.land_released_outside_hazards.total.entirely_outside)]])),
    h("section", { id: "dash-productivity" }, h("h2", {}, t("plan.productivity")),
      h("p", { class: "note counts" }, t("plan.productivity_note", { n: num(d.productivity.reduce((a, r) => a + r.m2_per_day.samples, 0)) })),
      table([t("plan.col.method"), t("plan.col.asset"), t("plan.col.samples"), t("plan.col.q1"), t("plan.col.median"), t("plan.col.q3")],
        d.productivity.map((r) => [t(`method.${r.method}` as "method.cleared"),
          r.asset_type === null ? t("f.none") : label("asset_type", r.asset_type),
          num(r.m2_per_day.samples), num(Math.round(r.m2_per_day.q1)), num(Math.round(r.m2_per_day.median)),
          num(Math.round(r.m2_per_day.q3))]))),
    ...(metrics && metrics.rows.length ? [detectors(metrics.rows)] : []),
    h("section", { id: "dash-eo-destroyed" }, ...heading("dash.eo", "dash.eo_counts"),
      table([t("dash.category"), t("dash.records"), t("dash.quantity")],
        d.eo_destroyed_by_category.map((r) => [
          h("a", { href: `#/records/eo_find?category=${r.category}&destroyed_date=*-*` }, label("ordnance_category", r.category)), num(r.records), num(r.quantity)]))),
    h("section", { id: "dash-eo-found" }, ...heading("dash.eo_found", "dash.eo_found_counts"),
      table([t("dash.category"), t("dash.records"), t("dash.quantity"), t("dash.disposed"), t("dash.not_disposed"), t("dash.date_unknown")],
        d.eo_found_by_category.map((r) => {
          const finds = `#/records/eo_find?category=${r.category}`;
          return [h("a", { href: finds }, label("ordnance_category", r.category)), num(r.records), num(r.quantity),
            h("a", { href: `${finds}&destroyed_date=*-*` }, num(r.disposed)),
            h("a", { href: `${finds}&destroyed_date=` }, num(r.not_disposed)),
            h("a", { href: `${finds}&found_date=` }, num(r.date_unknown))];
        }))),
    h("section", { id: "dash-casualties" }, ...heading("dash.casualties", "dash.casualties_counts"),
      table([t("dash.year"), t("dash.sex"), t("dash.age"), t("dash.killed"), t("dash.injured")],
        d.casualties.map((r) => [String(r.year ?? "?"), label("sex", r.sex), age(r.age_group),
          h("a", { href: `#/records/victim?sex=${r.sex}&outcome=killed` }, num(r.killed)),
          h("a", { href: `#/records/victim?sex=${r.sex}&outcome=injured` }, num(r.injured))]))),
    h("section", { id: "dash-accidents" }, ...heading("dash.accidents", "dash.accidents_counts"),
      table([t("dash.year"), t("dash.accidents_n"), t("dash.with_victims"), t("dash.without_victims"), t("dash.killed"), t("dash.injured")],
        d.accidents_by_year.map((r) => {
          const accidents = `#/records/accident?date=${r.year === null ? "" : `${r.year}*`}`;
          const year = r.year === null ? t("dash.unknown") : String(r.year);
          return [exact ? h("a", { href: accidents }, year) : year,
            exact ? h("a", { href: accidents }, num(r.accidents)) : num(r.accidents), num(r.with_victims), num(r.without_victims),
            h("a", { href: "#/records/victim?outcome=killed" }, num(r.killed)),
            h("a", { href: "#/records/victim?outcome=injured" }, num(r.injured))];
        }))),
    ...heading("dash.re", "dash.re_counts"),
    table([t("dash.sex"), t("dash.age"), t("dash.direct"), t("dash.indirect")],
      d.risk_education_beneficiaries.map((r) => [label("sex", r.sex), label("age_band", r.age_band),
        h("a", { href: "#/records/risk_education" }, num(r.direct)), h("a", { href: "#/records/risk_education" }, num(r.indirect))])),
  );
  await renderAdminMap(root.querySelector<HTMLElement>("#dashboard-map") as HTMLElement,
    root.querySelector<HTMLElement>("#dashboard-map-legend") as HTMLElement, d.admin_boundaries);
}
