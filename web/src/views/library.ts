// The document library (#/library): full-text search over documents and the programme's
// records in the region's languages (the query and its filters live in the hash, so a search
// can be linked and paged), the list of documents filtered in the page when there is no query,
// and the upload form for the roles that may add documents. A document's own page is in
// library-document.ts.
import { ApiError, api } from "../api";
import { h } from "../dom";
import { LOCALES, date, lang, num, t } from "../i18n";
import type { MessageKey } from "../locales/en";

export interface Version {
  version: number; file_name: string | null; media_type: string; size_bytes: number; sha256: string | null;
  link: string | null; note: string | null; uploaded_by: string; uploaded_at: string; href: string | null;
}
export interface LibraryDocument {
  id: number; uuid: string; title: string; language: string; country: string | null; doc_type: string;
  imas_topic: string | null; access: string; organisation: string | null; created_by: string; created_at: string;
  versions: Version[];
  /** The node that owns it when received from another programme (read-only here); null: own. */
  owner: string | null;
}
export interface DocumentList { documents: LibraryDocument[]; may_edit: boolean; max_upload_bytes: number }
interface Hit {
  id: string; kind: string; title: string; score: number; snippet: string;
  highlights: [number, number][]; title_highlights: [number, number][]; link: string;
}
interface Results { total: number; hits: Hit[] }

export const DOC_TYPES = ["national_standard", "sop", "lessons_learned", "research", "risk_education_material", "training_material"];
export const ACCESS = ["public", "regional", "national"];
const KINDS = ["document", "hazard", "activity", "eo_find", "accident", "risk_education", "qa_visit", "organisation"];
const PAGE = 20;

export const typeLabel = (code: string) => t(`library.type.${code}` as MessageKey) ?? code;
export const accessLabel = (code: string) => t(`library.access.${code}` as MessageKey) ?? code;
const kindLabel = (code: string) => (KINDS.includes(code) ? t(`library.kind.${code}` as MessageKey) : code);
/** A language's name in its own script. */
export const languageName = (code: string) => LOCALES[code]?.name ?? code;

/** A size in bytes, in KB or MB with the locale's digits. */
export function size(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (bytes >= 1024 * 1024) return `${num(mb, Number.isInteger(mb) ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${num(bytes / 1024, 0)} KB`;
  return `${num(bytes)} B`;
}

/**
 * `text` with the byte ranges `ranges` (of its UTF-8 encoding, as the server counts them)
 * wrapped in <mark>: text nodes only, nothing from the server is read as HTML.
 */
export function highlighted(text: string, ranges: [number, number][]): Node[] {
  const bytes = new TextEncoder().encode(text);
  const dec = new TextDecoder();
  const out: Node[] = [];
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const start = Math.max(at, Math.min(s, bytes.length));
    const end = Math.max(start, Math.min(e, bytes.length));
    if (start > at) out.push(document.createTextNode(dec.decode(bytes.subarray(at, start))));
    if (end > start) out.push(h("mark", {}, dec.decode(bytes.subarray(start, end))));
    at = end;
  }
  if (at < bytes.length) out.push(document.createTextNode(dec.decode(bytes.subarray(at))));
  return out;
}

/** A select of `codes` labelled by `label`, with a first "any" option when `any` is given. */
export function select(name: string, id: string, codes: string[], label: (c: string) => string, value = "", any?: string): HTMLSelectElement {
  return h("select", { name, id },
    any !== undefined ? h("option", { value: "" }, any) : null,
    ...codes.map((c) => h("option", { value: c, selected: c === value }, label(c))));
}

/** A labelled field with its error slot (`data-error-for`). */
export function field(label: string, control: HTMLElement, name: string): HTMLElement {
  return h("label", { class: "field" }, label, control, h("span", { class: "field-error", "data-error-for": name }));
}

/** Shows a refusal: each field's message beside it, the detail (or `message`) in `slot`. */
export function showProblem(form: HTMLElement, slot: HTMLElement, err: unknown): void {
  form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
  if (!(err instanceof ApiError)) { slot.textContent = String(err); return; }
  const p = err.problem;
  slot.textContent = p.status === 409 ? t("library.duplicate", { detail: p.detail })
    : p.status === 413 ? t("library.too_large_server", { detail: p.detail })
    : p.detail;
  for (const f of p.errors ?? []) {
    const s = form.querySelector<HTMLElement>(`[data-error-for="${f.field}"]`);
    if (s) s.textContent = f.message;
  }
}

/** The description fields of a document (upload and edit), filled from `doc`. */
export function describeFields(prefix: string, doc?: LibraryDocument) {
  const input = (name: string, attrs: Record<string, string> = {}) =>
    h("input", { name, id: `${prefix}-${name}`, ...attrs });
  const c = {
    title: input("title", { value: doc?.title ?? "", required: "required" }),
    language: select("language", `${prefix}-language`, Object.keys(LOCALES), languageName, doc?.language ?? lang()),
    country: input("country", { value: doc?.country ?? "", maxlength: "3", pattern: "[A-Za-z]{3}", placeholder: "KHM", autocapitalize: "characters" }),
    doc_type: select("doc_type", `${prefix}-doc_type`, DOC_TYPES, typeLabel, doc?.doc_type),
    imas_topic: input("imas_topic", { value: doc?.imas_topic ?? "", placeholder: "09.10" }),
    access: select("access", `${prefix}-access`, ACCESS, accessLabel, doc?.access ?? "regional"),
    organisation: input("organisation", { value: doc?.organisation ?? "" }),
  };
  const els = [
    field(t("library.col.title"), c.title, "title"),
    field(t("library.col.language"), c.language, "language"),
    field(t("library.col.country"), c.country, "country"),
    field(t("library.col.type"), c.doc_type, "doc_type"),
    field(t("library.field.imas_topic"), c.imas_topic, "imas_topic"),
    field(t("library.col.access"), c.access, "access"),
    field(t("library.field.organisation"), c.organisation, "organisation"),
  ];
  const values = () => ({
    title: c.title.value.trim(), language: c.language.value, country: c.country.value.trim().toUpperCase() || null,
    doc_type: c.doc_type.value, imas_topic: c.imas_topic.value.trim() || null, access: c.access.value,
    organisation: c.organisation.value.trim() || null,
  });
  return { els, values };
}

/** A file input and a link field (one or the other), a note, and a check of the size limit. */
export function contentFields(prefix: string, maxBytes: number) {
  const file = h("input", { type: "file", name: "file", id: `${prefix}-file`, accept: ".pdf,.docx,.png,.jpg,.jpeg,.webp" });
  const link = h("input", { type: "url", name: "link", id: `${prefix}-link`, placeholder: "https://" });
  const note = h("input", { name: "note", id: `${prefix}-note` });
  const els = [
    field(t("library.field.file"), file, "file"),
    h("p", { class: "hint", id: `${prefix}-limit` }, t("library.limit", { size: size(maxBytes) })),
    field(t("library.field.link"), link, "link"),
    field(t("library.field.note"), note, "note"),
  ];
  /** The query parameters and body of the upload, or a field and message refusing it here. */
  const read = (): { params: URLSearchParams; body: File | null } | { field: string; message: string } => {
    const f = file.files?.[0] ?? null;
    const l = link.value.trim();
    if (!f && !l) return { field: "file", message: t("library.file_or_link") };
    if (f && l) return { field: "link", message: t("library.file_or_link") };
    if (f && f.size > maxBytes) return { field: "file", message: t("library.too_large", { size: size(maxBytes) }) };
    const params = new URLSearchParams();
    if (f) params.set("file_name", f.name);
    else params.set("link", l);
    if (note.value.trim()) params.set("note", note.value.trim());
    return { params, body: f };
  };
  return { els, read };
}

/** Sends a file (streamed by the browser from disk, never read into the page) or a link. */
export function upload<T>(path: string, params: URLSearchParams, body: File | null): Promise<T> {
  return api<T>(`${path}?${params}`, body
    ? { method: "POST", body, headers: { "content-type": "application/octet-stream" } }
    : { method: "POST" });
}

function uploadForm(list: DocumentList): HTMLElement {
  const d = describeFields("upload");
  const c = contentFields("upload", list.max_upload_bytes);
  const message = h("p", { class: "form-message error", role: "alert", id: "library-upload-message" });
  const form = h("form", { id: "library-upload", class: "library-form" },
    h("h2", {}, t("library.upload")),
    h("div", { class: "form-grid" }, ...d.els, ...c.els),
    h("button", { type: "submit", id: "library-upload-submit" }, t("library.add")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
    message.textContent = "";
    const content = c.read();
    if ("field" in content) {
      const slot = form.querySelector<HTMLElement>(`[data-error-for="${content.field}"]`);
      if (slot) slot.textContent = content.message;
      return;
    }
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(d.values())) if (v !== null) params.set(k, v);
    content.params.forEach((v, k) => params.set(k, v));
    try {
      const doc = await upload<LibraryDocument>("/api/library", params, content.body);
      location.hash = `#/library/${doc.id}`;
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

/** The filters, from the hash's parameters. */
interface Filters { kind: string; language: string; country: string; doc_type: string; access: string }

function searchForm(params: URLSearchParams): HTMLFormElement {
  const q = h("input", { type: "search", name: "q", id: "library-q", value: params.get("q") ?? "", "aria-label": t("library.search_label") });
  const kind = select("kind", "library-kind", KINDS, kindLabel, params.get("kind") ?? "", t("library.filter.all"));
  const language = select("language", "library-language", Object.keys(LOCALES), languageName, params.get("language") ?? "", t("library.filter.any"));
  const country = h("input", { name: "country", id: "library-country", value: params.get("country") ?? "", maxlength: 3, placeholder: "KHM" });
  const doc_type = select("doc_type", "library-doc_type", DOC_TYPES, typeLabel, params.get("doc_type") ?? "", t("library.filter.any"));
  const access = select("access", "library-access", ACCESS, accessLabel, params.get("access") ?? "", t("library.filter.any"));
  const form = h("form", { id: "library-search", class: "library-search", role: "search" },
    h("div", { class: "library-box" }, q, h("button", { type: "submit", id: "library-search-submit" }, t("library.search"))),
    h("span", { class: "field-error", id: "library-search-error", "data-error-for": "q", role: "alert" }),
    h("div", { class: "library-filters" },
      field(t("library.filter.kind"), kind, "kind"),
      field(t("library.col.language"), language, "language"),
      field(t("library.col.country"), country, "country"),
      field(t("library.col.type"), doc_type, "doc_type"),
      field(t("library.col.access"), access, "access")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === "string" && v.trim()) next.set(k, v.trim());
    location.hash = `#/library?${next}`;
  });
  // Without a query, a filter's change applies at once to the list below.
  form.addEventListener("change", () => {
    if (!q.value.trim()) form.requestSubmit();
  });
  return form;
}

async function results(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const q = params.get("q") ?? "";
  const offset = Math.max(0, Number(params.get("offset") ?? 0) || 0);
  const query = new URLSearchParams(params);
  query.set("limit", String(PAGE));
  query.set("offset", String(offset));
  // The query's language decides its stemming: English (the default) unless it has letters
  // outside ASCII, then the interface's language.
  if (/[^\x00-\x7f]/.test(q) && lang() !== "en") query.set("lang", lang());
  let res: Results;
  try {
    res = await api<Results>(`/api/library/search?${query}`);
  } catch (err) {
    if (err instanceof ApiError && err.problem.status === 422) {
      const slot = root.querySelector<HTMLElement>("#library-search-error");
      if (slot) slot.textContent = err.problem.errors?.map((e) => e.message).join("; ") || err.problem.detail;
      return;
    }
    throw err;
  }
  const page = (to: number) => {
    const p = new URLSearchParams(params);
    p.set("offset", String(to));
    return `#/library?${p}`;
  };
  root.append(h("section", { id: "library-results", class: "library-results" },
    h("p", { id: "library-total" }, t("library.total", { n: num(res.total) })),
    res.hits.length === 0 ? h("p", { id: "library-none" }, t("library.no_hits")) : null,
    h("ol", { class: "library-hits", start: offset + 1 }, ...res.hits.map((hit) => {
      // A hazard has its own page; other records open on the item page.
      const href = hit.kind === "hazard" ? `#/hazards/${hit.id}` : hit.link;
      return h("li", { class: "library-hit", "data-id": hit.id },
        h("span", { class: `badge kind-${hit.kind}` }, kindLabel(hit.kind)), " ",
        h("a", { href, class: "library-hit-title" }, ...highlighted(hit.title, hit.title_highlights)),
        h("p", { class: "snippet" }, ...highlighted(hit.snippet, hit.highlights)));
    })),
    h("nav", { class: "library-paging", "aria-label": t("library.paging") },
      offset > 0 ? h("a", { href: page(Math.max(0, offset - PAGE)), id: "library-prev" }, t("library.previous")) : null,
      offset + PAGE < res.total ? h("a", { href: page(offset + PAGE), id: "library-next" }, t("library.next")) : null)));
}

function documents(list: DocumentList, f: Filters): HTMLElement {
  const shown = list.documents.filter((d) =>
    (!f.kind || f.kind === "document")
    && (!f.language || d.language === f.language)
    && (!f.country || (d.country ?? "").toUpperCase() === f.country.toUpperCase())
    && (!f.doc_type || d.doc_type === f.doc_type)
    && (!f.access || d.access === f.access));
  const head = [t("library.col.title"), t("library.col.language"), t("library.col.country"), t("library.col.type"),
    t("library.col.access"), t("library.col.version"), t("library.col.date")];
  return h("section", { id: "library-documents" },
    h("h2", {}, t("library.documents", { n: num(shown.length) })),
    h("div", { class: "table-scroll" }, h("table", { class: "records", id: "library-table" },
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...shown.map((d) => {
        const current = d.versions[d.versions.length - 1];
        return h("tr", { "data-id": d.id },
          h("td", {}, h("a", { href: `#/library/${d.id}` }, d.title),
            d.owner ? h("span", { class: "library-owner", "data-owner": d.owner }, " ", t("library.owner.from", { node: d.owner })) : null),
          h("td", { lang: d.language }, languageName(d.language)), h("td", {}, d.country ?? ""),
          h("td", {}, typeLabel(d.doc_type)), h("td", {}, accessLabel(d.access)),
          h("td", { class: "num" }, current ? num(current.version) : ""),
          h("td", {}, date(current?.uploaded_at ?? d.created_at)));
      })))));
}

/** The library page: search (with a query in the hash) or the documents, and the upload form. */
export async function renderLibrary(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const list = await api<DocumentList>("/api/library");
  const section = h("div", { class: "library" }, h("h1", {}, t("library.title")), searchForm(params));
  root.append(section);
  if ((params.get("q") ?? "").trim()) {
    await results(section, params);
  } else {
    const get = (k: string) => params.get(k) ?? "";
    section.append(documents(list, { kind: get("kind"), language: get("language"), country: get("country"), doc_type: get("doc_type"), access: get("access") }));
  }
  if (list.may_edit) section.append(uploadForm(list));
}
