// Operations planning: the forecast page (#/planning/forecast). The Monte Carlo forecast of when
// the remaining contamination is released (country and each admin area: P50, P90, the chance
// by the deadline, the capacity needed to meet it), a chart of the runs finishing per year with
// the deadline's year marked, the productivity the runs drew from, and the productivity table.
import { ApiError, api } from "../api";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import { label, loadVocab } from "../vocab";
import { planningTabs, table } from "./planning";

interface Outlook { admin: string | null; remaining_m2: number; p50: string | null; p90: string | null; chance_by_deadline: number | null }
interface Forecast {
  runs: number; seed: number; start: string; deadline: string | null;
  teams: { team: string; rate: string; days_per_year: number }[];
  country: Outlook; admin_areas: Outlook[]; by_year: [number, number][];
  needed: { factor: number; teams: number; p90: string } | null;
  rates: { asset_type: string; samples: number; median_m2_per_day: number }[];
}
interface Spread { samples: number; min: number; q1: number; median: number; q3: number; max: number }
interface Productivity { samples: number; rows: { method: string; asset_type: string | null; m2_per_day: Spread }[] }

/** A date as a `<time>` (its ISO value kept in `datetime`), "–" when none. */
const when = (iso: string | null) => (iso ? h("time", { datetime: iso }, date(iso)) : "–");
const chance = (p: number | null) => (p === null ? "–" : `${num(p * 100)} %`);

/** The runs finishing per year as bars over the years from the first to the last (the
 * deadline's year included, marked); the bars in words too. */
function yearChart(byYear: [number, number][], runs: number, deadline: string | null): Element {
  const ns = "http://www.w3.org/2000/svg";
  const deadlineYear = deadline ? Number(deadline.slice(0, 4)) : null;
  const years = [...byYear.map(([y]) => y), ...(deadlineYear === null ? [] : [deadlineYear])];
  const first = Math.min(...years), last = Math.max(...years);
  const width = 640, height = 200, bottom = 20, top = 16;
  const max = Math.max(1, ...byYear.map(([, n]) => n));
  const slots = Math.max(1, last - first + 1);
  const step = (width - 10) / slots;
  const slot = (year: number) => 5 + (year - first) * step;
  const words = byYear.map(([y, n]) => t("plan.chart_bar", { year: y, runs: num(n) })).join("; ");
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "chart");
  svg.setAttribute("id", "plan-years-chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${t("plan.chart_title", { runs: num(runs) })}: ${words}`
    + (deadline ? `; ${t("plan.deadline")}: ${date(deadline)}` : ""));
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  if (byYear.length === 0) return svg;
  const labelEvery = Math.ceil(slots / 16);
  for (let year = first; year <= last; year++) {
    if ((year - first) % labelEvery === 0 || year === deadlineYear) {
      el("text", { x: slot(year) + step / 2, y: height - 5, "text-anchor": "middle" }, String(year));
    }
  }
  for (const [year, n] of byYear) {
    const barH = (n / max) * (height - bottom - top);
    el("rect", { x: slot(year) + step * 0.1, y: height - bottom - barH, width: step * 0.8, height: barH,
      fill: year === deadlineYear ? "#c62828" : "#1565c0", class: "plan-year-bar", "data-year": year, "data-runs": n });
  }
  if (deadlineYear !== null) {
    const x = slot(deadlineYear) + step / 2;
    el("line", { x1: x, x2: x, y1: top, y2: height - bottom, stroke: "#b71c1c", "stroke-dasharray": "4 3" });
    el("text", { x, y: 12, "text-anchor": "middle", fill: "#b71c1c" }, t("plan.deadline_mark"));
  }
  return svg;
}

/** The forecast for the form's inputs. */
async function showForecast(out: HTMLElement, query: URLSearchParams): Promise<void> {
  out.replaceChildren(h("p", { role: "status" }, t("plan.computing")));
  let f: Forecast;
  try {
    f = await api<Forecast>(`/api/planning/forecast?${query}`);
  } catch (err) {
    if (!(err instanceof ApiError) || err.problem.status !== 422) throw err;
    out.replaceChildren(h("p", { class: "error", id: "plan-forecast-error", role: "alert" }, err.problem.detail));
    return;
  }
  const c = f.country;
  const needed = f.needed
    ? t("plan.needed_value", { factor: num(f.needed.factor, 1), teams: num(f.needed.teams) })
    : t("plan.needed_none");
  out.replaceChildren(
    h("div", { class: "cards", id: "plan-forecast-cards" },
      h("div", { class: "card", id: "plan-p50" }, h("span", {}, t("plan.p50")), h("strong", {}, when(c.p50))),
      h("div", { class: "card", id: "plan-p90" }, h("span", {}, t("plan.p90")), h("strong", {}, when(c.p90))),
      h("div", { class: "card", id: "plan-chance" }, h("span", {}, t("plan.chance", { deadline: f.deadline ? date(f.deadline) : "–" })),
        h("strong", {}, chance(c.chance_by_deadline))),
      h("div", { class: "card", id: "plan-needed" }, h("span", {}, t("plan.needed")), h("strong", {}, needed))),
    h("p", { class: "counts" }, t("plan.forecast_note", { runs: num(f.runs), seed: f.seed, start: date(f.start),
      remaining: num(c.remaining_m2), teams: num(f.teams.length) })),
    h("section", { "aria-labelledby": "plan-years-title" },
      h("h2", { id: "plan-years-title" }, t("plan.chart_title", { runs: num(f.runs) })),
      yearChart(f.by_year, f.runs, f.deadline)),
    h("section", { "aria-labelledby": "plan-areas-title" },
      h("h2", { id: "plan-areas-title" }, t("plan.by_area")),
      table("plan-areas", [t("col.admin"), t("plan.col.remaining"), t("plan.p50"), t("plan.p90"), t("plan.col.chance")],
        f.admin_areas.map((a) => h("tr", { "data-admin": a.admin ?? "" },
          h("td", {}, a.admin ?? ""), h("td", { class: "num" }, num(a.remaining_m2)), h("td", {}, when(a.p50)),
          h("td", {}, when(a.p90)), h("td", { class: "num" }, chance(a.chance_by_deadline)))), [1, 4])),
    h("section", { "aria-labelledby": "plan-rates-title" },
      h("h2", { id: "plan-rates-title" }, t("plan.rates")),
      table("plan-rates", [t("plan.col.asset"), t("plan.col.samples"), t("plan.col.median")],
        f.rates.map((r) => h("tr", {}, h("td", {}, label("asset_type", r.asset_type)), h("td", { class: "num" }, num(r.samples)),
          h("td", { class: "num" }, num(r.median_m2_per_day)))), [1, 2])));
}

/** The productivity table (m² per day of each method and asset type). */
async function productivity(section: HTMLElement): Promise<void> {
  try {
    const p = await api<Productivity>("/api/planning/productivity");
    section.append(h("p", { class: "counts" }, t("plan.productivity_note", { n: num(p.samples) })),
      table("plan-productivity", [t("plan.col.method"), t("plan.col.asset"), t("plan.col.samples"), t("plan.col.q1"),
        t("plan.col.median"), t("plan.col.q3")],
      p.rows.map((r) => h("tr", {}, h("td", {}, label("release_method", r.method)),
        h("td", {}, r.asset_type ? label("asset_type", r.asset_type) : t("plan.any_asset")),
        h("td", { class: "num" }, num(r.m2_per_day.samples)), h("td", { class: "num" }, num(r.m2_per_day.q1)),
        h("td", { class: "num" }, num(r.m2_per_day.median)), h("td", { class: "num" }, num(r.m2_per_day.q3)))), [2, 3, 4, 5]));
  } catch (err) {
    if (!(err instanceof ApiError) || err.problem.status !== 422) throw err;
    section.append(h("p", { class: "error", role: "alert" }, err.problem.detail));
  }
}

export async function renderForecast(root: HTMLElement): Promise<void> {
  const [settings] = await Promise.all([
    api<{ article5_deadline: string | null; days_per_year: number }>("/api/planning/settings"), loadVocab(),
  ]);
  const deadline = h("input", { type: "date", name: "deadline", id: "plan-deadline", value: settings.article5_deadline ?? "" });
  const runs = h("input", { type: "number", name: "runs", id: "plan-runs", min: 1, value: 1000 });
  const seed = h("input", { type: "number", name: "seed", id: "plan-seed", min: 0, value: 1 });
  const out = h("div", { id: "plan-forecast", "aria-live": "polite" });
  const query = () => {
    const q = new URLSearchParams({ runs: runs.value, seed: seed.value, days_per_year: String(settings.days_per_year) });
    if (deadline.value) q.set("deadline", deadline.value);
    return q;
  };
  const form = h("form", { id: "plan-forecast-form", class: "form-grid" },
    h("label", { class: "field" }, t("plan.deadline"), deadline),
    h("label", { class: "field" }, t("plan.runs"), runs),
    h("label", { class: "field" }, t("plan.seed"), seed),
    h("div", { class: "field" }, h("button", { type: "submit", id: "plan-forecast-run" }, t("plan.run_forecast"))));
  form.addEventListener("submit", (e) => { e.preventDefault(); void showForecast(out, query()); });
  const prod = h("section", { id: "plan-productivity-section", "aria-labelledby": "plan-productivity-title" },
    h("h2", { id: "plan-productivity-title" }, t("plan.productivity")));
  root.append(h("h1", {}, t("plan.forecast_title")), planningTabs("#/planning/forecast"),
    h("p", { class: "counts" }, t("plan.days_per_year", { days: num(settings.days_per_year) })), form, out, prod);
  await Promise.all([showForecast(out, query()), productivity(prod)]);
}
