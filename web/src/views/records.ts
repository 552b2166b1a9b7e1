// Lists of any kind of record (activities, EO finds, accidents, victims, risk education, QA):
// search, filters from the link that led here, sort, pages.
import { api } from "../api";
import { clear, h } from "../dom";
import { num, t } from "../i18n";
import { itemHref, resolveItems, showValue } from "../show";
import { fieldLabel, loadVocab } from "../vocab";

export const KINDS = ["activity", "eo_find", "accident", "victim", "risk_education", "qa_visit", "assistance"] as const;
const PAGE = 50;

/** A list held as JSON text in a row (an activity's further hazards). */
function listOf(v: unknown): unknown[] {
  if (typeof v !== "string" || !v.startsWith("[")) return [];
  try {
    const parsed: unknown = JSON.parse(v);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Fields of victims and accidents that lists are not searched, filtered or sorted by for
 *  users who see them generalised (the server refuses it: a count could reveal them). */
const QUASI_FIELDS = ["age_at_accident", "date", "location", "date_of_information"];

/** The list of records of `kind`; `exact` says whether the user sees victims' and accidents'
 *  exact values (otherwise those lists offer no search and no sort by their quasi-identifiers). */
export async function renderRecords(root: HTMLElement, kind: string, exact: boolean): Promise<void> {
  const generalised = !exact && (kind === "victim" || kind === "accident");
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  const filters = [...params.entries()].filter(([k]) => !["q", "sort", "order", "offset"].includes(k));
  let q = params.get("q") ?? "";
  let sort = params.get("sort") ?? "id";
  let order = params.get("order") ?? "asc";
  let offset = 0;
  const tabs = h("nav", { class: "tabs" }, ...KINDS.map((k) =>
    h("a", { href: `#/records/${k}`, class: k === kind ? "active" : undefined }, t(`kind.${k}` as "kind.victim"))));
  const search = h("input", { type: "search", id: "records-search", value: q, placeholder: t("hazards.search"), "aria-label": t("hazards.search") });
  const count = h("p", { class: "count" });
  const table = h("table", { class: "records", id: "records" });
  const pager = h("div", { class: "pager" });
  // Whole collections as files, with the list's exact filters on the export's queryable
  // properties (victims without personal data, and without geometry).
  const collection: Record<string, [string, string[]]> = {
    activity: ["activities", ["activity_type", "status", "hazard", "organisation"]],
    eo_find: ["eo-finds", ["category", "model", "admin_pcode", "organisation", "activity", "hazard"]],
    accident: ["accidents", ["admin_pcode", "device_type"]],
    victim: ["victims", ["outcome", "sex", "accident", "deminer"]],
    risk_education: ["risk-education", ["admin_pcode", "organisation"]],
    assistance: ["victim-assistance", ["service", "sex", "organisation", "donor", "admin_pcode", "victim"]],
  };
  const [exported, queryables] = collection[kind] ?? ["", []];
  const formats = kind === "victim" || kind === "assistance" ? ["geojson", "csv", "gpkg", "xlsx"] : ["geojson", "csv", "kml", "gpkg", "shp", "xlsx"];
  const exportFilters = filters.filter(([k, v]) => queryables.includes(k) && !v.includes("*"));
  const downloads = exported
    ? h("p", { class: "downloads" }, `${t("records.download")}: `, ...formats.map((f) =>
        h("a", { href: `/api/export/${exported}?${new URLSearchParams([["format", f], ...exportFilters])}`, download: "", "data-format": f }, f.toUpperCase())))
    : null;
  root.append(h("h1", {}, t("records.title")), tabs, downloads ?? "",
    h("p", { class: "filters" }, filters.map(([k, v]) => `${k} = ${v}`).join(" · ")),
    generalised ? "" : search, count, table, pager);

  await loadVocab();
  async function load(): Promise<void> {
    const qs = new URLSearchParams([["kind", kind], ["q", q], ["sort", sort], ["order", order],
      ["offset", String(offset)], ["limit", String(PAGE)], ...filters]);
    const page = await api<{ total: number; columns: string[]; rows: Record<string, unknown>[] }>(`/api/records?${qs}`);
    count.textContent = t("records.count", { n: num(page.total) });
    // An activity's further hazards are shown with its hazard, not as a column of their own.
    const cols = page.columns.filter((c) => c !== "hazards").slice(0, 10);
    await resolveItems(page.rows.flatMap((r) => cols.filter((c) => c !== "id").map((c) => r[c]).concat([r.hazards])));
    const cell = (r: Record<string, unknown>, c: string) => {
      const v = r[c];
      if (c === "id") {
        const id = String(v ?? "");
        return h("td", {}, h("a", { href: kind === "victim" ? `#/victims/${id}` : itemHref(id) }, id));
      }
      if (c === "hazard") {
        const hazards = showValue(kind, c, [r.hazard, ...listOf(r.hazards)].filter((x) => typeof x === "string" && x !== ""));
        return h("td", { class: "hazards" }, ...hazards);
      }
      return h("td", {}, ...showValue(kind, c, v));
    };
    clear(table);
    table.append(
      h("thead", {}, h("tr", {}, ...cols.map((c) => h("th", { scope: "col", "aria-sort": sort === c ? (order === "asc" ? "ascending" : "descending") : undefined },
        generalised && QUASI_FIELDS.includes(c) ? fieldLabel(c) : h("button", { class: "sort", onclick: () => {
          order = sort === c && order === "asc" ? "desc" : "asc"; sort = c; offset = 0; void load();
        } }, fieldLabel(c)))))),
      h("tbody", {}, ...page.rows.map((r) => h("tr", {}, ...cols.map((c) => cell(r, c))))));
    clear(pager);
    pager.append(
      h("button", { disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); void load(); } }, t("hazards.prev")),
      h("span", {}, `${num(Math.min(offset + 1, page.total))}–${num(Math.min(offset + PAGE, page.total))}`),
      h("button", { disabled: offset + PAGE >= page.total, onclick: () => { offset += PAGE; void load(); } }, t("hazards.next")));
  }
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => { q = search.value; offset = 0; void load(); }, 250);
  });
  await load();
}
