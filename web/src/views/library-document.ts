// A library document's page (#/library/{id}): its description (a form for the roles that may
// edit, sent with PUT), its versions with their downloads or links, and a form adding a version
// (a file streamed from disk, or a link to a video).
import { api } from "../api";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import {
  accessLabel, contentFields, describeFields, type DocumentList, type LibraryDocument, languageName,
  showProblem, size, typeLabel, upload,
} from "./library";

function description(doc: LibraryDocument): HTMLElement {
  const row = (label: string, value: string | null, attrs: Record<string, string> = {}) =>
    value ? [h("dt", {}, label), h("dd", attrs, value)] : [];
  return h("dl", { id: "library-description", class: "library-description" },
    ...row(t("library.col.language"), languageName(doc.language), { lang: doc.language }),
    ...row(t("library.col.country"), doc.country),
    ...row(t("library.col.type"), typeLabel(doc.doc_type)),
    ...row(t("library.field.imas_topic"), doc.imas_topic),
    ...row(t("library.col.access"), accessLabel(doc.access)),
    ...row(t("library.field.organisation"), doc.organisation),
    ...row(t("library.owner"), doc.owner, { id: "library-owner" }),
    ...row(t("library.added_by"), `${doc.created_by} · ${date(doc.created_at)}`));
}

function editForm(doc: LibraryDocument, changed: () => void): HTMLElement {
  const d = describeFields("edit", doc);
  const message = h("p", { class: "form-message error", role: "alert", id: "library-edit-message" });
  const form = h("form", { id: "library-edit", class: "library-form" },
    h("h2", {}, t("library.edit")),
    h("div", { class: "form-grid" }, ...d.els),
    h("button", { type: "submit", id: "library-edit-submit" }, t("library.save")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    message.textContent = "";
    try {
      await api(`/api/library/${doc.id}`, { method: "PUT", body: JSON.stringify(d.values()) });
      changed();
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

function versionForm(doc: LibraryDocument, maxBytes: number, changed: () => void): HTMLElement {
  const c = contentFields("version", maxBytes);
  const message = h("p", { class: "form-message error", role: "alert", id: "library-version-message" });
  const form = h("form", { id: "library-version", class: "library-form" },
    h("h2", {}, t("library.add_version")),
    h("div", { class: "form-grid" }, ...c.els),
    h("button", { type: "submit", id: "library-version-submit" }, t("library.add")), message);
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
    try {
      await upload(`/api/library/${doc.id}/versions`, content.params, content.body);
      changed();
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

function versions(doc: LibraryDocument): HTMLElement {
  const head = [t("library.col.version"), t("library.col.file"), t("library.col.size"), t("library.col.uploaded"),
    t("library.field.note"), t("library.download")];
  return h("section", { id: "library-versions" },
    h("h2", {}, t("library.versions")),
    h("div", { class: "table-scroll" }, h("table", { class: "records", id: "library-versions-table" },
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...[...doc.versions].reverse().map((v) => h("tr", { "data-version": v.version },
        h("td", { class: "num" }, num(v.version)),
        h("td", {}, v.link ? h("a", { href: v.link, rel: "noopener noreferrer", target: "_blank", class: "version-link" }, v.link) : v.file_name ?? ""),
        h("td", { class: "num" }, v.link ? "" : size(v.size_bytes)),
        h("td", {}, `${v.uploaded_by} · ${date(v.uploaded_at)}`),
        h("td", {}, v.note ?? ""),
        h("td", {}, v.href ? h("a", { href: v.href, download: v.file_name ?? "", class: "version-download" }, t("library.download")) : "")))))));
}

/** The page of document `id`. */
export async function renderLibraryDocument(root: HTMLElement, id: string): Promise<void> {
  const [doc, list] = await Promise.all([
    api<LibraryDocument>(`/api/library/${encodeURIComponent(id)}`),
    api<DocumentList>("/api/library"),
  ]);
  const again = () => { root.replaceChildren(); void renderLibraryDocument(root, id); };
  root.append(h("div", { class: "library", id: "library-document", "data-id": doc.id },
    h("p", {}, h("a", { href: "#/library", id: "library-back" }, t("library.back"))),
    h("h1", { lang: doc.language }, doc.title),
    description(doc),
    // A document received from another programme is read-only here: its owner's next package
    // brings its changes.
    doc.owner ? h("p", { class: "library-read-only", id: "library-read-only" }, t("library.owner.read_only", { node: doc.owner })) : null,
    versions(doc),
    list.may_edit && !doc.owner ? versionForm(doc, list.max_upload_bytes, again) : null,
    list.may_edit && !doc.owner ? editForm(doc, again) : null));
}
