// The ordnance reference library (#/reference): a page per ordnance model of the catalogue,
// edited on the regional hub and adopted by its nodes with the hub's reference data
// (GET /api/reference/pages). This list shows each page's photo, model, category, summary and
// how many items of the model the region's programmes found, filtered in the page by category
// and text; on a hub, an administrator starts the page of a catalogue model that has none. A
// page itself is in reference-page.ts.
import { ApiError, api } from "../api";
import { h } from "../dom";
import { num, t } from "../i18n";
import { loadReference, modelKey } from "../catalogue";
import { label, loadVocab } from "../vocab";

/** One page of the list. */
export interface PageSummary {
  model: string;
  /** Ordnance category code (ap_mine, at_mine, …). */
  category: string;
  description: string;
  summary: string;
  /** SHA-256 of the page's first photo (null: none). */
  photo: string | null;
  /** Items of the model the region's programmes found. */
  found_total: number;
}

/** The pages in force: the hub's own, or those adopted with its reference data. */
export interface PageList {
  source: "hub" | "adopted" | "none";
  version: number;
  /** Whether the user may edit (a hub's administrator). */
  editable: boolean;
  pages: PageSummary[];
}

/** A photo of a page, kept by its SHA-256. */
export interface PagePhoto {
  sha256: string;
  media_type: string;
  caption: string;
}

/** Sizes (mm), weights (g) and the filling of a model; absent values are unknown. */
export interface Dimensions {
  length_mm?: number | null;
  width_mm?: number | null;
  height_mm?: number | null;
  diameter_mm?: number | null;
  weight_g?: number | null;
  explosive_g?: number | null;
  explosive?: string | null;
}

/** A reference page as the API serves it to the user. */
export interface ReferencePage {
  model: string;
  category: string;
  description: string;
  aliases: string[];
  summary: string;
  dimensions: Dimensions;
  fuzing: string;
  identification: string[];
  hazards: string;
  /** The render-safe notes, for EOD officers and the hub's administrators only. */
  render_safe: string | null;
  /** Whether notes exist that this user may not read. */
  render_safe_withheld: boolean;
  photos: PagePhoto[];
  found: { node: string; name: string; items: number }[];
  found_at: string | null;
  editable: boolean;
}

export const loadPages = () => api<PageList>("/api/reference/pages");

/** The hash of a model's page. */
export const pageHref = (model: string) => `#/reference/${encodeURIComponent(model)}`;

/** Where a photo's bytes are served. */
export const photoSrc = (sha256: string) => `/api/reference/photos/${encodeURIComponent(sha256)}`;

/** Where the pages come from, in words. */
export function sourceText(list: PageList): string {
  if (list.source === "hub") {
    return list.version > 0
      ? t("refpage.source.hub", { version: num(list.version) })
      : t("refpage.source.hub_unpublished");
  }
  if (list.source === "adopted") return t("refpage.source.adopted", { version: num(list.version) });
  return t("refpage.source.none");
}

/** The page of `pages` that names `model` the way the catalogue compares names (null if none). */
export function pageOf(pages: PageSummary[], model: string): PageSummary | null {
  const key = modelKey(model);
  return pages.find((p) => modelKey(p.model) === key) ?? null;
}

/** On a hub, for its administrators: a catalogue model without a page, chosen to start one. */
async function createForm(list: PageList): Promise<HTMLElement> {
  const ref = await loadReference();
  const missing = ref.ordnance.filter((m) => !pageOf(list.pages, m.model))
    .sort((a, b) => a.model.localeCompare(b.model));
  const choice = h("select", { id: "reference-create-model", name: "model" },
    ...missing.map((m) => h("option", { value: m.model }, `${m.model} — ${label("ordnance_category", m.category)}`)));
  const form = h("form", { id: "reference-create", class: "reference-form" },
    h("h2", {}, t("refpage.create.title")),
    missing.length
      ? [h("label", { class: "field" }, t("refpage.create.model"), choice),
        h("button", { type: "submit", id: "reference-create-submit" }, t("refpage.create.submit"))]
      : h("p", {}, t("refpage.create.none")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (choice.value) location.hash = pageHref(choice.value);
  });
  return form;
}

function card(p: PageSummary): HTMLElement {
  return h("li", { class: "reference-card", "data-model": p.model, "data-category": p.category },
    p.photo
      ? h("img", { class: "reference-thumb", src: photoSrc(p.photo), alt: "", loading: "lazy", width: 96, height: 72 })
      : h("span", { class: "reference-thumb none", "aria-hidden": "true" }),
    h("div", { class: "reference-card-text" },
      h("h2", {}, h("a", { href: pageHref(p.model) }, p.model)),
      h("p", { class: "category" }, label("ordnance_category", p.category)),
      h("p", { class: "summary" }, p.summary),
      h("p", { class: "found" }, t("refpage.found_total", { n: num(p.found_total) }))));
}

/** The list of reference pages. */
export async function renderReferencePages(root: HTMLElement): Promise<void> {
  const [list] = await Promise.all([loadPages(), loadVocab()]);
  const categories = [...new Set(list.pages.map((p) => p.category))]
    .sort((a, b) => label("ordnance_category", a).localeCompare(label("ordnance_category", b)));
  const category = h("select", { id: "reference-category", "aria-controls": "reference-list" },
    h("option", { value: "" }, t("refpage.filter.all")),
    ...categories.map((c) => h("option", { value: c }, label("ordnance_category", c))));
  const text = h("input", { id: "reference-filter", type: "search", autocomplete: "off", "aria-controls": "reference-list" });
  const count = h("p", { id: "reference-count", class: "count", role: "status" });
  const ul = h("ul", { id: "reference-list", class: "reference-cards" });
  const none = h("p", { id: "reference-none" });
  none.hidden = true;
  const cards = list.pages.map((p) => ({
    page: p,
    text: [p.model, p.description, p.summary, label("ordnance_category", p.category)].join(" ").toLowerCase(),
    key: modelKey(p.model),
    el: card(p),
  }));
  const show = () => {
    const q = text.value.trim().toLowerCase();
    const key = modelKey(q);
    const shown = cards.filter((c) => (!category.value || c.page.category === category.value)
      && (!q || c.text.includes(q) || (key !== "" && c.key.includes(key))));
    ul.replaceChildren(...shown.map((c) => c.el));
    count.textContent = shown.length === cards.length
      ? t("refpage.count", { n: num(cards.length) })
      : t("refpage.count_filtered", { n: num(shown.length), total: num(cards.length) });
    none.textContent = t("refpage.none_match");
    none.hidden = shown.length > 0 || cards.length === 0;
  };
  text.addEventListener("input", show);
  category.addEventListener("change", show);
  root.append(h("div", { class: "reference", id: "reference-pages" },
    h("h1", {}, t("refpage.title")),
    h("p", { id: "reference-source" }, sourceText(list)),
    h("p", { class: "note" }, t("refpage.intro"), " ", h("a", { href: "#/catalogue", id: "reference-catalogue" }, t("refpage.to_catalogue"))),
    cards.length
      ? [h("div", { class: "reference-filters" },
          h("label", { class: "field" }, t("refpage.filter.category"), category),
          h("label", { class: "field" }, t("refpage.filter.text"), text)),
        count, ul, none]
      : h("p", { id: "reference-empty" }, t("refpage.empty")),
    list.editable ? await createForm(list) : null));
  if (cards.length) show();
}

/** The pages for the catalogue's links, or why they could not be read (the catalogue is then
 *  shown without them); a lapsed session is passed on. */
export async function pagesForCatalogue(): Promise<PageList | { error: string }> {
  try {
    return await loadPages();
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 401) throw e;
    return { error: String((e as Error)?.message ?? e) };
  }
}
