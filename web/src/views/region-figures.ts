// The regional dashboard, on a hub's Region page: the countries side by side (a column each and
// one for the region) from GET /api/hub/dashboard, and the regional report to download. Every
// figure is computed by the server from what the national programmes share; casualty counts
// arrive already suppressed ("<5", "x"), as do training participants (from each country's latest
// signed training summary).
import { api } from "../api";
import { h } from "../dom";
import { date, num, t, vocabLabel } from "../i18n";
import type { MessageKey } from "../locales/en";
import { label, loadVocab } from "../vocab";

type Published = number | string;

interface Figures {
  hazards_remaining: number; remaining_m2: number;
  released: { year: number | null; method: string; m2: number }[];
  eo_destroyed: { year: number; items: number }[];
  casualties: { year: number | null; sex: string; age_band: string; killed: Published; injured: Published }[];
  casualties_total: Published;
  risk_education: { year: number | null; direct: number; indirect: number }[];
  productivity: { method: string; asset_type: string | null; m2: number; days: number; m2_per_day: number }[];
  training: Training;
}

/** Training figures from a country's latest training summary (no names). */
interface Training {
  generated_at: string | null;
  participants: { year: number; competency: string; sex: string; age_band: string; participants: Published }[];
  participants_total: Published;
  certificates_issued: { year: number; competency: string; certificates: number }[];
  valid_certificates: { competency: string; count: number }[];
}

/** A node's metrics of one model version and class, from its latest detector summary. */
interface DetectorRow {
  node: string; generated_at: string; model: string; model_version: string; class: string;
  detections: number; confirmed: number; false_positive: number; precision: number | null;
  finds_in_footprint: number; recall: number | null; expected_calibration_error: number | null;
}

interface RegionalFigures {
  generated_at: string; suppress_below: number;
  countries: { node: string; name: string; received_at: string | null; figures: Figures }[];
  region: Figures;
  detectors: DetectorRow[];
}

/** A column of the tables: a country, or the region. */
interface Column { key: string; title: string; figures: Figures }

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const year = (y: number | null): string => (y === null ? t("dash.unknown") : String(y));
const published = (v: Published): string => (typeof v === "number" ? num(v) : v);

/** A box that scrolls a wide table sideways on a phone, named after the table. */
const scroll = (name: string, table: HTMLElement) =>
  h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": name }, table);

/** A table with a row per key and a column per country (and the region). */
function matrix<K>(id: string, caption: MessageKey, note: MessageKey, columns: Column[], head: string[],
  keys: K[], rowHead: (k: K) => string[], cell: (f: Figures, k: K) => string): HTMLElement {
  const numeric = (v: string) => h("td", { class: "num" }, v);
  return h("section", { class: "region-figures" },
    h("h2", {}, t(caption)), h("p", { class: "note" }, t(note)),
    scroll(t(caption), h("table", { class: "list", id },
      h("thead", {}, h("tr", {}, ...head.map((x) => h("th", { scope: "col" }, x)),
        ...columns.map((c) => h("th", { scope: "col", class: "num", "data-node": c.key }, c.title)))),
      h("tbody", {}, ...keys.map((k) => h("tr", {},
        ...rowHead(k).map((x, i) => (i === 0 ? h("th", { scope: "row" }, x) : h("td", {}, x))),
        ...columns.map((c) => numeric(cell(c.figures, k)))))))));
}

/** The distinct keys of a list over every column, sorted by their text. */
function keysOf<T>(columns: Column[], list: (f: Figures) => T[], key: (x: T) => string): string[] {
  const all = new Set<string>();
  for (const c of columns) for (const x of list(c.figures)) all.add(key(x));
  return [...all].sort();
}

export async function renderRegionFigures(root: HTMLElement): Promise<void> {
  const [d, courses] = await Promise.all([
    api<RegionalFigures>("/api/hub/dashboard"),
    api<{ code: string; label: string }[]>("/api/training/courses"),
    loadVocab(),
  ]);
  const columns: Column[] = [
    ...d.countries.map((c) => ({ key: c.node, title: c.name, figures: c.figures })),
    { key: "region", title: t("region.all_countries"), figures: d.region },
  ];
  const km2 = (m2: number) => num(m2 / 1e6, 2);
  const summary = h("section", { class: "region-figures" },
    h("h2", {}, t("region.figures")),
    h("p", { class: "note" }, t("region.figures_note", { n: d.suppress_below, max: d.suppress_below - 1 })),
    h("p", {}, h("a", { href: "/api/hub/report.xlsx", id: "region-report-xlsx", download: "" }, t("region.report_xlsx")),
      " · ", h("a", { href: "/api/hub/report.pdf", id: "region-report-pdf", download: "" }, t("region.report_pdf"))),
    scroll(t("region.figures"), h("table", { class: "list", id: "region-figures" },
      h("thead", {}, h("tr", {}, ...[
        "region.country", "region.hazards_remaining", "region.remaining_km2", "region.released_km2",
        "region.eo_destroyed", "region.casualties", "region.re_direct", "region.received_at",
      ].map((k, i) => h("th", { scope: "col", class: i > 0 && i < 7 ? "num" : undefined }, t(k as MessageKey))))),
      h("tbody", {}, ...columns.map((c) => {
        const f = c.figures;
        const received = d.countries.find((x) => x.node === c.key)?.received_at ?? null;
        return h("tr", { "data-node": c.key, class: c.key === "region" ? "total" : undefined },
          h("th", { scope: "row" }, c.title),
          h("td", { class: "num" }, num(f.hazards_remaining)),
          h("td", { class: "num" }, km2(f.remaining_m2)),
          h("td", { class: "num" }, km2(sum(f.released.map((r) => r.m2)))),
          h("td", { class: "num" }, num(sum(f.eo_destroyed.map((e) => e.items)))),
          h("td", { class: "num" }, published(f.casualties_total)),
          h("td", { class: "num" }, num(sum(f.risk_education.map((r) => r.direct)))),
          h("td", {}, c.key === "region" ? "" : received ? date(received) : t("region.never")));
      })))));

  const released = keysOf(columns, (f) => f.released, (r) => `${r.year ?? "-"}|${r.method}`);
  const productivity = keysOf(columns, (f) => f.productivity, (p) => `${p.method}|${p.asset_type ?? ""}`);
  const casualties = keysOf(columns, (f) => f.casualties, (c) => `${c.year ?? "-"}|${c.sex}|${c.age_band}`);
  const split = (k: string) => k.split("|");
  const yearOf = (s: string) => (s === "-" ? null : Number(s));
  root.append(summary,
    matrix("region-released", "region.released", "region.released_note", columns,
      [t("dash.year"), t("dash.method")], released,
      (k) => { const [y, m] = split(k); return [year(yearOf(y)), t(`method.${m}` as MessageKey)]; },
      (f, k) => { const [y, m] = split(k); return km2(sum(f.released.filter((r) => r.year === yearOf(y) && r.method === m).map((r) => r.m2))); }),
    matrix("region-productivity", "region.productivity", "region.productivity_note", columns,
      [t("dash.method"), t("dash.asset")], productivity,
      (k) => { const [m, a] = split(k); return [t(`method.${m}` as MessageKey), a ? label("asset_type", a) : t("f.none")]; },
      (f, k) => {
        const [m, a] = split(k);
        const p = f.productivity.find((x) => x.method === m && (x.asset_type ?? "") === a);
        return p ? num(p.m2_per_day) : "–";
      }),
    matrix("region-casualties", "region.casualties_year", "region.casualties_note", columns,
      [t("dash.year"), t("dash.sex"), t("dash.age")], casualties,
      (k) => { const [y, s, a] = split(k); return [year(yearOf(y)), label("sex", s), a]; },
      (f, k) => {
        const [y, s, a] = split(k);
        const c = f.casualties.find((x) => x.year === yearOf(y) && x.sex === s && x.age_band === a);
        return c ? t("region.killed_injured", { killed: published(c.killed), injured: published(c.injured) }) : "–";
      }),
    ...training(d, columns, courses),
    detectors(d));
}

/** Detectors across the region: each country's detector metrics from its latest detector
 * summary, a row per country, model, version and class (the "*" row, all classes, in bold). */
function detectors(d: RegionalFigures): HTMLElement {
  const name = (node: string) => d.countries.find((c) => c.node === node)?.name ?? node;
  const share = (v: number | null) => (v === null ? "—" : `${num(v * 100, 1)} %`);
  const ece = (v: number | null) => (v === null ? "—" : num(v, 3));
  const head = [t("region.country"), t("det.model"), t("det.version"), t("det.class"), t("det.precision"),
    t("det.recall"), t("det.ece"), t("det.detections")];
  return h("section", { class: "region-figures", id: "region-detectors-section" },
    h("h2", {}, t("region.detectors")),
    h("p", { class: "note" }, t("region.detectors_note")),
    d.detectors.length === 0 ? h("p", { id: "region-detectors-none" }, t("region.detectors_none")) :
      scroll(t("region.detectors"), h("table", { class: "list", id: "region-detectors" },
        h("thead", {}, h("tr", {}, ...head.map((c, i) => h("th", { scope: "col", class: i >= 4 ? "num" : undefined }, c)))),
        h("tbody", {}, ...d.detectors.map((r) => h("tr", {
          class: r.class === "*" ? "all-classes" : undefined, "data-node": r.node, "data-model": r.model, "data-class": r.class,
        },
        h("th", { scope: "row" }, name(r.node)), h("td", {}, r.model), h("td", {}, r.model_version),
        h("td", {}, r.class === "*" ? t("det.all_classes") : r.class),
        ...[share(r.precision), share(r.recall), ece(r.expected_calibration_error), num(r.detections)]
          .map((v) => h("td", { class: "num" }, v))))))),
    h("p", { class: "note counts" }, t("det.legend")));
}

/** An age band code ("25_34", "under_25", "55_plus") as figures show it ("25–34", "< 25", "55+"). */
function ageBand(code: string): string {
  if (code.startsWith("under_")) return `< ${code.slice(6)}`;
  if (code.endsWith("_plus")) return `${code.slice(0, -5)}+`;
  return code.replace("_", "–");
}

/** The training section: each country's summary date and totals, then participants (suppressed),
 * certificates issued and valid certificates, a column per country and the region. */
function training(d: RegionalFigures, columns: Column[], courses: { code: string; label: string }[]): HTMLElement[] {
  const competency = (c: string) => vocabLabel("competency", c, courses.find((x) => x.code === c)?.label ?? c);
  const split = (k: string) => k.split("|");
  const overview = h("section", { class: "region-figures", id: "region-training-section" },
    h("h2", {}, t("region.training")),
    h("p", { class: "note" }, t("region.training_note", { n: d.suppress_below, max: d.suppress_below - 1 })),
    scroll(t("region.training"), h("table", { class: "list", id: "region-training" },
      h("thead", {}, h("tr", {}, ...[
        "region.country", "region.training_date", "region.training_participants_total",
        "region.training_issued_total", "region.training_valid_total",
      ].map((k, i) => h("th", { scope: "col", class: i > 1 ? "num" : undefined }, t(k as MessageKey))))),
      h("tbody", {}, ...columns.map((c) => {
        const f = c.figures.training;
        const made = c.key === "region" ? "" : f.generated_at ? date(f.generated_at) : t("region.training_none");
        return h("tr", { "data-node": c.key, class: c.key === "region" ? "total" : undefined },
          h("th", { scope: "row" }, c.title),
          h("td", {}, made),
          h("td", { class: "num" }, published(f.participants_total)),
          h("td", { class: "num" }, num(sum(f.certificates_issued.map((x) => x.certificates)))),
          h("td", { class: "num" }, num(sum(f.valid_certificates.map((x) => x.count)))));
      })))));
  const participants = keysOf(columns, (f) => f.training.participants,
    (p) => `${p.year}|${p.competency}|${p.sex}|${p.age_band}`);
  const issued = keysOf(columns, (f) => f.training.certificates_issued, (c) => `${c.year}|${c.competency}`);
  const valid = keysOf(columns, (f) => f.training.valid_certificates, (v) => v.competency);
  return [overview,
    matrix("region-training-participants", "region.training_participants", "region.training_participants_note",
      columns, [t("dash.year"), t("training.col.competency"), t("dash.sex"), t("dash.age")], participants,
      (k) => { const [y, c, s, a] = split(k); return [y, competency(c), label("sex", s), ageBand(a)]; },
      (f, k) => {
        const [y, c, s, a] = split(k);
        const p = f.training.participants.find((x) => String(x.year) === y && x.competency === c && x.sex === s && x.age_band === a);
        return p ? published(p.participants) : "–";
      }),
    matrix("region-training-issued", "region.training_issued", "region.training_issued_note", columns,
      [t("dash.year"), t("training.col.competency")], issued,
      (k) => { const [y, c] = split(k); return [y, competency(c)]; },
      (f, k) => {
        const [y, c] = split(k);
        const x = f.training.certificates_issued.find((i) => String(i.year) === y && i.competency === c);
        return num(x ? x.certificates : 0);
      }),
    matrix("region-training-valid", "region.training_valid", "region.training_valid_note", columns,
      [t("training.col.competency")], valid, (k) => [competency(k)],
      (f, k) => num(f.training.valid_certificates.find((v) => v.competency === k)?.count ?? 0)),
  ];
}
