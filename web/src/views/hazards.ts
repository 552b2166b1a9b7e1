// Searchable, sortable, paged list of hazards with their land-release state.
import { api } from "../api";
import { clear, h } from "../dom";
import { date, num, t } from "../i18n";

interface Row {
  id: string; local_id: string; name: string; class: string; status: string;
  admin_pcode: string | null; organisation: string | null;
  original_m2: number; remaining_m2: number; date_of_information: string;
}

const PAGE = 50;

export async function renderHazards(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.hash.split("?")[1] ?? "");
  let q = params.get("q") ?? "";
  let sort = params.get("sort") ?? "id";
  let order = params.get("order") ?? "asc";
  let offset = Number(params.get("offset") ?? 0);

  const search = h("input", { type: "search", id: "hazard-search", placeholder: t("hazards.search"), value: q });
  const count = h("p", { class: "count" });
  const table = h("table", { class: "records" });
  const pager = h("div", { class: "pager" });
  const downloads = h("p", { class: "downloads" }, `${t("records.download")}: `,
    ...["geojson", "csv", "kml", "gpkg", "shp", "xlsx"].map((f) =>
      h("a", { href: `/api/export/hazards?format=${f}`, download: "", "data-format": f }, f.toUpperCase())));
  root.append(h("h1", {}, t("hazards.title")), downloads, search, count, table, pager);

  const columns: [keyof Row, Parameters<typeof t>[0], boolean][] = [
    ["id", "col.id", false], ["local_id", "col.local_id", false], ["name", "col.name", false],
    ["class", "col.class", false], ["status", "col.status", false], ["admin_pcode", "col.admin", false],
    ["original_m2", "col.original", true], ["remaining_m2", "col.remaining", true],
    ["date_of_information", "col.date", false],
  ];

  async function load(): Promise<void> {
    const qs = new URLSearchParams({ q, sort, order, offset: String(offset), limit: String(PAGE) });
    const page = await api<{ total: number; hazards: Row[] }>(`/api/hazards?${qs}`);
    count.textContent = t("hazards.count", { n: num(page.total) });
    clear(table);
    table.append(h("thead", {}, h("tr", {}, ...columns.map(([key, label, numeric]) =>
      h("th", { class: numeric ? "num" : undefined, "aria-sort": sort === key ? (order === "asc" ? "ascending" : "descending") : undefined },
        h("button", { class: "sort", "data-sort": key, onclick: () => {
          order = sort === key && order === "asc" ? "desc" : "asc";
          sort = key;
          offset = 0;
          void load();
        } }, t(label)))))));
    table.append(h("tbody", {}, ...page.hazards.map((r) => h("tr", {},
      h("td", {}, h("a", { href: `#/hazards/${r.id}` }, r.id)),
      h("td", {}, r.local_id), h("td", {}, r.name),
      h("td", {}, t(`class.${r.class}` as "class.sha")), h("td", {}, t(`status.${r.status}` as "status.open")),
      h("td", {}, r.admin_pcode ?? ""),
      h("td", { class: "num" }, num(r.original_m2)), h("td", { class: "num" }, num(r.remaining_m2)),
      h("td", {}, date(r.date_of_information))))));
    clear(pager);
    pager.append(
      h("button", { disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); void load(); } }, t("hazards.prev")),
      h("span", {}, `${num(Math.min(offset + 1, page.total))}–${num(Math.min(offset + PAGE, page.total))}`),
      h("button", { disabled: offset + PAGE >= page.total, onclick: () => { offset += PAGE; void load(); } }, t("hazards.next")),
    );
  }
  let timer = 0;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => { q = search.value; offset = 0; void load(); }, 250);
  });
  await load();
}
