// The photos and files a report's entries carry (sent from the field app): thumbnails that open
// the photo, other files as links. Served by the server to those who may read the report.
import { h } from "../dom";
import { t } from "../i18n";

/** One file of a report (`GET /api/reports/{id}/attachments`, `GET /api/items/{kind}/{id}/attachments`). */
export interface Attachment { id: number; report: number; entry: number; name: string; media_type: string; size: number; caption: string | null }

/** A figure list of `files`, or nothing when there are none. */
export function attachmentList(files: Attachment[]): HTMLElement | null {
  if (!files.length) return null;
  return h("section", { class: "attachments" },
    h("h3", {}, t("attach.title")),
    h("ul", { class: "attachment-list" }, ...files.map((f) => {
      const url = `/api/attachments/${f.id}`;
      const kb = `${Math.max(1, Math.round(f.size / 1024))} KB`;
      const body = f.media_type.startsWith("image/")
        ? h("img", { src: url, alt: f.caption ?? t("attach.photo", { name: f.name }), loading: "lazy", width: 160 })
        : h("span", { class: "file" }, f.name);
      return h("li", { "data-attachment": f.id },
        h("a", { href: url, target: "_blank", rel: "noopener" }, body),
        h("span", { class: "caption" }, [f.caption, f.name, kb].filter(Boolean).join(" · ")));
    })));
}
