// Programme reports: land release, EO destroyed and found, casualties, accidents, risk
// education, victim assistance and the treaty tables (APMBC/CCM Article 7, Article 5) for a
// period, admin area, organisation, donor and as-of date; each table with the line that says
// what it counts, shown as tables and downloaded as XLSX, PDF, CSV or JSON. Every figure comes
// from /api/figures.
import { api, ApiError } from "../api";
import { h } from "../dom";
import { lang, num, t } from "../i18n";

interface Column { key: string; title: string; kind: "text" | "count" | "area_m2" | "date" | "percent" }
interface Table { id: string; title: string; counts: string; columns: Column[]; rows: Record<string, unknown>[]; total: Record<string, unknown> | null; notes: string[] }
interface Figures { title: string; parameters: Record<string, unknown>; tables: Table[] }

function cell(c: Column, v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (c.kind === "area_m2") return num(v);
    if (c.kind === "percent") return `${num(v, 1)} %`;
    return num(v);
  }
  return String(v);
}

function table(tbl: Table, csv: string): HTMLElement {
  const numeric = (c: Column) => c.kind !== "text" && c.kind !== "date";
  const row = (r: Record<string, unknown>, total = false) => h("tr", { class: total ? "total" : undefined },
    ...tbl.columns.map((c) => h("td", { class: numeric(c) ? "num" : undefined }, cell(c, r[c.key]))));
  return h("section", { class: "figure-table", id: `table-${tbl.id}` },
    h("h2", {}, tbl.title, " ", h("a", { href: csv, download: "", class: "csv" }, "CSV")),
    h("p", { class: "note counts" }, tbl.counts),
    h("table", { class: "list" },
      h("thead", {}, h("tr", {}, ...tbl.columns.map((c) => h("th", {}, c.title)))),
      h("tbody", {}, ...tbl.rows.map((r) => row(r)), ...(tbl.total ? [row(tbl.total, true)] : []))),
    ...tbl.notes.map((n) => h("p", { class: "note" }, n)));
}

interface Organisation { local_id: string; name: string; organisation_type: string }

export async function renderFigures(root: HTMLElement): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const input = (name: string, type: string, value = "") => h("input", { name, id: `fig-${name}`, type, value });
  const orgs = await api<{ rows: Organisation[] }>("/api/records?kind=organisation&limit=1000&sort=name")
    .then((r) => r.rows).catch(() => [] as Organisation[]);
  const choose = (name: string, donors: boolean) => h("select", { name, id: `fig-${name}` },
    h("option", { value: "" }, t("figures.all")),
    ...orgs.filter((o) => (o.organisation_type === "donor") === donors)
      .map((o) => h("option", { value: o.local_id }, `${o.name} (${o.local_id})`)));
  const fields = {
    as_of: input("as_of", "date", today),
    from: input("from", "date"),
    to: input("to", "date"),
    admin_area: input("admin_area", "text"),
    organisation: choose("organisation", false),
    donor: choose("donor", true),
    treaty_deadline: input("treaty_deadline", "date"),
  };
  const out = h("div", { id: "figures" });
  const downloads = h("p", { class: "downloads", id: "figure-downloads" });
  const query = (format: string) => {
    const q = new URLSearchParams({ format, language: lang() === "km" ? "km" : "en" });
    for (const [k, el] of Object.entries(fields)) if (el.value) q.set(k, el.value);
    return `/api/figures?${q}`;
  };
  const show = async () => {
    out.replaceChildren(h("p", {}, t("figures.working")));
    try {
      const f = await api<Figures>(query("json"));
      downloads.replaceChildren(...["xlsx", "pdf", "json"].map((fmt) =>
        h("a", { href: query(fmt), download: "", class: "button", id: `download-${fmt}` }, fmt.toUpperCase())));
      out.replaceChildren(h("h2", {}, f.title), ...f.tables.map((tbl) => table(tbl, `${query("csv")}&table=${tbl.id}`)));
    } catch (e) {
      out.replaceChildren(h("p", { class: "error" }, e instanceof ApiError ? e.problem.detail ?? e.problem.title : String(e)));
    }
  };
  const field = (key: keyof typeof fields) =>
    h("div", { class: "field" }, h("label", { for: `fig-${key}` }, t(`figures.${key}` as "figures.as_of")), fields[key]);
  root.append(
    h("h1", {}, t("figures.title")),
    h("form", { class: "form-grid", id: "figure-form", onsubmit: (e: Event) => { e.preventDefault(); void show(); } },
      field("as_of"), field("from"), field("to"), field("admin_area"), field("organisation"), field("donor"),
      field("treaty_deadline"),
      h("div", { class: "field" }, h("button", { type: "submit", id: "figures-show" }, t("figures.show")))),
    downloads,
    out,
  );
  await show();
}
