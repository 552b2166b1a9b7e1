// The Ordnance catalogue page: every ordnance model an EO find may name (GET /api/reference) —
// the built-in catalogue, then the models of the reference set this programme adopted from its
// regional hub — with each model's category, description, other names and where it comes from.
// A find of a model listed here must have the model's category: the server refuses it otherwise.
// A model with an ordnance reference page (GET /api/reference/pages) links to it.
import { h } from "../dom";
import { date, num, t } from "../i18n";
import { loadReference, modelKey, regionalTerms, type OrdnanceModel } from "../catalogue";
import { label, loadVocab, vocabularyName } from "../vocab";
import { pageHref, pageOf, pagesForCatalogue } from "./reference-pages";

export async function renderCatalogue(root: HTMLElement): Promise<void> {
  const [ref, pages] = await Promise.all([loadReference(), pagesForCatalogue(), loadVocab()]);
  const withPage = (model: string) => ("pages" in pages ? pageOf(pages.pages, model) : null);
  const source = ref.version > 0
    ? t("catalogue.source_reference", { version: ref.version, hub: ref.hub ?? "?", date: date(ref.adopted_at) })
    : t("catalogue.source_builtin");
  // The regional terms adopted with the reference data, which imports translate to Safeground's codes.
  const terms = regionalTerms(ref).map((c) => {
    const codeLabel = label(c.vocabulary, c.code);
    return {
      text: [c.term, codeLabel, c.code].join(" ").toLowerCase(),
      row: h("tr", { "data-term": c.term, "data-vocabulary": c.vocabulary, "data-code": c.code },
        h("td", { class: "vocabulary" }, vocabularyName(c.vocabulary)),
        h("th", { scope: "row", class: "term" }, c.term),
        h("td", { class: "code" }, codeLabel)),
    };
  });
  const filter = h("input", {
    id: "catalogue-filter", type: "search", autocomplete: "off",
    "aria-controls": terms.length ? "catalogue-list catalogue-codes-list" : "catalogue-list",
  });
  const count = h("p", { id: "catalogue-count", class: "count", role: "status" });
  const th = (text: string) => h("th", { scope: "col" }, text);
  const body = h("tbody", {});
  const none = h("p", { id: "catalogue-none" });
  none.hidden = true;
  const sourceLabel = (m: OrdnanceModel) =>
    m.source === "reference"
      // A hub lists the models it published too: their version is the published one.
      ? t("catalogue.source.reference", { version: ref.version > 0 ? ref.version : ref.published_version })
      : t("catalogue.source.builtin");
  const rows = ref.ordnance.map((m) => ({ m, page: withPage(m.model) })).map(({ m, page }) => ({
    // What the filter searches: the model, its other names and its description. A model with
    // a reference page links to it.
    text: [m.model, ...m.aliases, m.description].join(" ").toLowerCase(),
    keys: [m.model, ...m.aliases].map(modelKey),
    row: h("tr", { "data-model": m.model, "data-source": m.source },
      h("th", { scope: "row", class: "model" },
        page ? h("a", { href: pageHref(page.model), class: "reference-link" }, m.model) : m.model),
      h("td", { class: "category" }, label("ordnance_category", m.category)),
      h("td", { class: "description" }, m.description),
      h("td", { class: "aliases" }, m.aliases.join(", ")),
      h("td", { class: "source" }, sourceLabel(m))),
  }));
  const show = () => {
    const q = filter.value.trim().toLowerCase();
    const key = modelKey(q);
    const shown = rows.filter((r) => !q || r.text.includes(q) || (key !== "" && r.keys.some((k) => k.includes(key))));
    body.replaceChildren(...shown.map((r) => r.row));
    count.textContent = q
      ? t("catalogue.count_filtered", { n: num(shown.length), total: num(rows.length) })
      : t("catalogue.count", { n: num(rows.length) });
    none.textContent = t("catalogue.none", { q: filter.value.trim() });
    none.hidden = shown.length > 0;
    const termsShown = terms.filter((r) => !q || r.text.includes(q));
    termsBody.replaceChildren(...termsShown.map((r) => r.row));
    termsNone.textContent = t("catalogue.codes.none_filtered", { q: filter.value.trim() });
    termsNone.hidden = terms.length === 0 || termsShown.length > 0;
  };
  const termsBody = h("tbody", {});
  const termsNone = h("p", { id: "catalogue-codes-nomatch" });
  termsNone.hidden = true;
  const codes = h("section", { id: "catalogue-codes", "aria-labelledby": "catalogue-codes-title" },
    h("h2", { id: "catalogue-codes-title" }, t("catalogue.codes.title")),
    h("p", { class: "note" }, t("catalogue.codes.intro")),
    terms.length
      ? [h("table", { class: "list catalogue catalogue-codes", id: "catalogue-codes-list" },
          h("caption", {}, t("catalogue.codes.caption")),
          h("thead", {}, h("tr", {},
            th(t("catalogue.codes.vocabulary")), th(t("catalogue.codes.term")), th(t("catalogue.codes.code")))),
          termsBody),
        termsNone]
      : h("p", { id: "catalogue-codes-none" }, t("catalogue.codes.none")));
  filter.addEventListener("input", show);
  root.append(
    h("h1", {}, t("catalogue.title")),
    h("p", { id: "catalogue-source" }, source),
    h("p", { class: "note" }, t("catalogue.intro")),
    h("p", { id: "catalogue-reference" }, "pages" in pages
      ? h("a", { href: "#/reference", id: "catalogue-reference-link" }, t("refpage.from_catalogue", { n: num(pages.pages.length) }))
      : h("span", { class: "error" }, t("refpage.unavailable", { detail: pages.error }))),
    h("label", { class: "field catalogue-filter" }, t("catalogue.filter"), filter),
    count,
    h("table", { class: "list catalogue", id: "catalogue-list" },
      h("caption", {}, t("catalogue.caption")),
      h("thead", {}, h("tr", {},
        th(t("catalogue.model")), th(t("catalogue.category")), th(t("catalogue.description")),
        th(t("catalogue.aliases")), th(t("catalogue.source")))),
      body),
    none,
    codes,
  );
  show();
}
