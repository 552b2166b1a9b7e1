// An ordnance model's reference page (#/reference/{model}): what it is and its other names,
// photos, dimensions, fuzing, identification features, hazards, the render-safe notes (only
// for the accounts the server serves them to), where in the region it was found, and the
// reference data it comes from. On a regional hub its administrators edit the page (PUT, each
// refusal beside its field), add photos (the file streamed from disk) and remove them; a
// catalogue model without a page opens on an empty form that creates it.
import { ApiError, api } from "../api";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { loadReference, lookupModel } from "../catalogue";
import { label, loadVocab } from "../vocab";
import {
  type Dimensions, type PageList, type PagePhoto, type ReferencePage, loadPages, pageHref, photoSrc, sourceText,
} from "./reference-pages";

/** The numeric dimensions. */
type Measure = Exclude<keyof Dimensions, "explosive">;

/** The numeric dimensions, in the order shown, with their unit. */
const NUMBERS: [Measure, "mm" | "g"][] = [
  ["length_mm", "mm"], ["width_mm", "mm"], ["height_mm", "mm"], ["diameter_mm", "mm"],
  ["weight_g", "g"], ["explosive_g", "g"],
];

const dimLabel = (name: keyof Dimensions) => t(`refpage.dim.${name}` as MessageKey);

/** A measure in the locale's digits, with no more decimals than it has (at most two). */
function measure(v: number, unit: string): string {
  const digits = [0, 1, 2].find((d) => Math.abs(Math.round(v * 10 ** d) / 10 ** d - v) < 1e-9) ?? 2;
  return `${num(v, digits)} ${unit}`;
}

const path = (model: string) => `/api/reference/pages/${encodeURIComponent(model)}`;

/** Shows a refusal: each field's message beside it (a field such as `identification.2` beside
 *  `identification`), the detail in `slot`. */
function showProblem(form: HTMLElement, slot: HTMLElement, err: unknown): void {
  form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
  slot.classList.replace("ok", "error");
  if (!(err instanceof ApiError)) { slot.textContent = String(err); return; }
  slot.textContent = err.problem.detail || err.problem.title;
  for (const f of err.problem.errors ?? []) {
    let name = f.field;
    let at = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
    while (!at && /[.[]/.test(name)) {
      name = name.replace(/[.[][^.[]*$/, "");
      at = form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`);
    }
    if (at) at.textContent = at.textContent ? `${at.textContent} ${f.message}` : f.message;
  }
}

/** A labelled control with its error slot, described by the slot for screen readers. */
function field(text: string, control: HTMLElement, name: string, hint?: string): HTMLElement {
  const id = `page-${name.replace(/\W/g, "-")}`;
  control.id = id;
  control.setAttribute("name", name);
  control.setAttribute("aria-describedby", `${id}-error${hint ? ` ${id}-hint` : ""}`);
  return h("div", { class: "field" },
    h("label", { for: id }, text),
    control,
    hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("span", { class: "field-error", id: `${id}-error`, "data-error-for": name }));
}

function section(id: string, title: string, ...body: (Node | null)[]): HTMLElement {
  return h("section", { id, "aria-labelledby": `${id}-title` }, h("h2", { id: `${id}-title` }, title), ...body);
}

function dimensionsTable(d: Dimensions): HTMLElement {
  const rows = NUMBERS.filter(([k]) => typeof d[k] === "number").map(([k, unit]) =>
    h("tr", { "data-dimension": k }, h("th", { scope: "row" }, dimLabel(k)), h("td", { class: "num" }, measure(d[k] as number, unit))));
  if (d.explosive) rows.push(h("tr", { "data-dimension": "explosive" }, h("th", { scope: "row" }, dimLabel("explosive")), h("td", {}, d.explosive)));
  return rows.length
    ? h("table", { class: "reference-dimensions", id: "reference-dimensions-table" },
        h("caption", { class: "sr-only" }, t("refpage.dimensions")), h("tbody", {}, ...rows))
    : h("p", { class: "note" }, t("refpage.dimensions_none"));
}

function photos(page: ReferencePage, changed: (notice: string) => void): HTMLElement | null {
  if (!page.photos.length) return null;
  const remove = async (p: PagePhoto, button: HTMLButtonElement, slot: HTMLElement) => {
    button.disabled = true;
    try {
      await api(`${path(page.model)}/photos/${encodeURIComponent(p.sha256)}`, { method: "DELETE" });
      changed(t("refpage.photo.removed"));
    } catch (err) {
      button.disabled = false;
      slot.textContent = err instanceof ApiError ? err.problem.detail : String(err);
    }
  };
  return h("div", { class: "reference-photos", id: "reference-photos" }, ...page.photos.map((p) => {
    const slot = h("span", { class: "field-error", role: "alert" });
    const button = h("button", { type: "button", class: "photo-remove", "aria-label": t("refpage.photo.remove_named", { caption: p.caption }) },
      t("refpage.photo.remove"));
    button.addEventListener("click", () => void remove(p, button, slot));
    return h("figure", { "data-sha256": p.sha256 },
      h("img", { src: photoSrc(p.sha256), alt: p.caption, loading: "lazy" }),
      h("figcaption", {}, p.caption),
      page.editable ? [button, slot] : null);
  }));
}

function found(page: ReferencePage): HTMLElement {
  const total = page.found.reduce((n, f) => n + f.items, 0);
  return section("reference-found", t("refpage.found"),
    page.found.length
      ? h("table", { class: "records reference-found", id: "reference-found-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("refpage.found.node")), h("th", { scope: "col" }, t("refpage.found.name")),
            h("th", { scope: "col", class: "num" }, t("refpage.found.items")))),
          h("tbody", {}, ...page.found.map((f) => h("tr", { "data-node": f.node },
            h("td", {}, f.node), h("td", {}, f.name), h("td", { class: "num" }, num(f.items))))),
          h("tfoot", {}, h("tr", { class: "total" },
            h("th", { scope: "row", colspan: 2 }, t("refpage.found.total")), h("td", { class: "num" }, num(total)))))
      : h("p", { id: "reference-found-none" }, t("refpage.found.none")),
    page.found_at ? h("p", { class: "note", id: "reference-found-at" }, t("refpage.found.at", { date: date(page.found_at) })) : null);
}

function renderSafe(page: ReferencePage): HTMLElement {
  return section("reference-render-safe", t("refpage.render_safe"),
    page.render_safe !== null
      ? h("p", { class: "reference-text", id: "render-safe-text" }, page.render_safe)
      : page.render_safe_withheld
        ? h("p", { class: "note restricted", id: "render-safe-withheld" }, t("refpage.render_safe.withheld"))
        : h("p", { class: "note", id: "render-safe-none" }, t("refpage.render_safe.none")));
}

/** The edit form (a create form when `page` is null) of `model`. */
function editForm(model: string, page: ReferencePage | null, changed: (notice: string) => void): HTMLElement {
  const text = (value: string, rows = 3) => { const a = h("textarea", { rows }); a.value = value; return a; };
  const summary = text(page?.summary ?? "", 3);
  const fuzing = text(page?.fuzing ?? "", 3);
  const identification = text((page?.identification ?? []).join("\n"), 5);
  const hazards = text(page?.hazards ?? "", 3);
  const renderSafeNotes = text(page?.render_safe ?? "", 3);
  const numbers = NUMBERS.map(([k, unit]) => {
    const v = page?.dimensions[k];
    const input = h("input", { type: "number", step: "any", inputmode: "decimal", value: typeof v === "number" ? String(v) : "" });
    return { k, input, el: field(`${dimLabel(k)} (${unit})`, input, `dimensions.${k}`) };
  });
  const explosive = h("input", { type: "text", value: page?.dimensions.explosive ?? "" });
  const message = h("p", { class: "form-message error", role: "alert", id: "reference-edit-message" });
  const form = h("form", { id: "reference-edit", class: "reference-form" },
    h("h2", {}, page ? t("refpage.edit.title") : t("refpage.create.form_title", { model })),
    field(t("refpage.summary"), summary, "summary"),
    h("fieldset", { class: "reference-dims" }, h("legend", {}, t("refpage.dimensions")),
      h("div", { class: "form-grid" }, ...numbers.map((n) => n.el), field(dimLabel("explosive"), explosive, "dimensions.explosive"))),
    field(t("refpage.fuzing"), fuzing, "fuzing"),
    field(t("refpage.identification"), identification, "identification", t("refpage.edit.one_per_line")),
    field(t("refpage.hazards"), hazards, "hazards"),
    field(t("refpage.render_safe"), renderSafeNotes, "render_safe", t("refpage.edit.render_safe_hint")),
    h("button", { type: "submit", id: "reference-edit-submit" }, page ? t("refpage.edit.save") : t("refpage.create.submit")),
    message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    message.textContent = "";
    const dimensions: Dimensions = { explosive: explosive.value.trim() || null };
    for (const n of numbers) dimensions[n.k] = n.input.value.trim() === "" ? null : Number(n.input.value);
    const body = {
      summary: summary.value.trim(),
      dimensions,
      fuzing: fuzing.value.trim(),
      identification: identification.value.split("\n").map((l) => l.trim()).filter((l) => l),
      hazards: hazards.value.trim(),
      render_safe: renderSafeNotes.value.trim() || null,
    };
    try {
      await api(path(model), { method: "PUT", body: JSON.stringify(body) });
      changed(t("refpage.saved"));
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

/** The form adding a photo: the image streamed from disk as the request body, its caption in the query. */
function photoForm(page: ReferencePage, changed: (notice: string) => void): HTMLElement {
  const file = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp" });
  const caption = h("input", { type: "text" });
  const message = h("p", { class: "form-message error", role: "alert", id: "reference-photo-message" });
  const form = h("form", { id: "reference-photo", class: "reference-form" },
    h("h2", {}, t("refpage.photo.title")),
    h("div", { class: "form-grid" },
      field(t("refpage.photo.file"), file, "file"),
      field(t("refpage.photo.caption"), caption, "caption")),
    h("button", { type: "submit", id: "reference-photo-submit" }, t("refpage.photo.upload")),
    message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
    message.textContent = "";
    const f = file.files?.[0];
    if (!f) {
      const slot = form.querySelector<HTMLElement>('[data-error-for="file"]');
      if (slot) slot.textContent = t("refpage.photo.choose");
      return;
    }
    const query = new URLSearchParams({ caption: caption.value.trim() });
    try {
      await api(`${path(page.model)}/photos?${query}`,
        { method: "POST", body: f, headers: { "content-type": "application/octet-stream" } });
      changed(t("refpage.photo.added"));
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

function view(page: ReferencePage, list: PageList, again: (notice: string) => void, notice?: string): HTMLElement {
  const d = page.dimensions;
  const para = (id: string, title: string, value: string) =>
    section(id, title, value ? h("p", { class: "reference-text" }, value) : h("p", { class: "note" }, t("refpage.not_given")));
  return h("article", { class: "reference reference-page", id: "reference-page", "data-model": page.model },
    h("p", {}, h("a", { href: "#/reference", id: "reference-back" }, t("refpage.back"))),
    h("h1", {}, page.model),
    notice ? h("p", { class: "form-message ok", role: "status", id: "reference-notice" }, notice) : null,
    h("p", { class: "reference-category" }, h("span", { class: "badge" }, label("ordnance_category", page.category)),
      " ", page.description),
    page.aliases.length ? h("p", { id: "reference-aliases" }, t("refpage.aliases", { names: page.aliases.join(", ") })) : null,
    page.summary ? h("p", { class: "reference-summary", id: "reference-summary" }, page.summary) : null,
    photos(page, again),
    section("reference-dimensions", t("refpage.dimensions"), dimensionsTable(d)),
    para("reference-fuzing", t("refpage.fuzing"), page.fuzing),
    section("reference-identification", t("refpage.identification"),
      page.identification.length
        ? h("ul", {}, ...page.identification.map((s) => h("li", {}, s)))
        : h("p", { class: "note" }, t("refpage.not_given"))),
    para("reference-hazards", t("refpage.hazards"), page.hazards),
    renderSafe(page),
    found(page),
    h("p", { class: "note", id: "reference-version" }, sourceText(list)),
    page.editable ? photoForm(page, again) : null,
    page.editable ? editForm(page.model, page, again) : null);
}

/** The page of `model` (with `notice`, what the user's last change did); on a hub, for its
 *  administrators, the form creating it when it has none. */
export async function renderReferencePage(root: HTMLElement, model: string, notice?: string): Promise<void> {
  const again = (next: string) => { root.replaceChildren(); void renderReferencePage(root, model, next); };
  const [list] = await Promise.all([loadPages(), loadVocab()]);
  let page: ReferencePage;
  try {
    page = await api<ReferencePage>(path(model));
  } catch (err) {
    if (!(err instanceof ApiError) || err.problem.status !== 404 || !list.editable) throw err;
    const entry = lookupModel((await loadReference()).ordnance, model);
    if (!entry) throw err;
    root.append(h("article", { class: "reference reference-page", id: "reference-new", "data-model": entry.model },
      h("p", {}, h("a", { href: "#/reference", id: "reference-back" }, t("refpage.back"))),
      h("h1", {}, entry.model),
      h("p", { class: "reference-category" }, h("span", { class: "badge" }, label("ordnance_category", entry.category)),
        " ", entry.description),
      h("p", { class: "note", id: "reference-new-note" }, t("refpage.create.intro")),
      editForm(entry.model, null, (next) => {
        if (location.hash === pageHref(entry.model)) again(next);
        else location.hash = pageHref(entry.model);
      })));
    return;
  }
  root.append(view(page, list, again, notice));
}
