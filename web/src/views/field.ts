// The field section (the installed app's start page): the forms that work offline, the drafts
// kept on this device to resume, the outbox and the offline map; and which form rules it holds.
import type { Me } from "../api";
import { h } from "../dom";
import { date, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import * as drafts from "../field/drafts";
import { loadForms } from "../field/offline";
import * as outbox from "../field/outbox";

/** The forms, in the order the page lists them. */
const FIELD_FORMS: [string, MessageKey][] = [
  ["eo", "form.kind.eo"], ["accident", "form.kind.accident"], ["land", "form.kind.land"],
  ["re", "form.kind.re"], ["va", "form.kind.va"], ["qa", "form.kind.qa"],
];

/** The tabs of the field section. */
export function fieldTabs(active: string): HTMLElement {
  const tab = (href: string, key: MessageKey, id: string) => h("a", { href, id, class: active === id ? "active" : undefined }, t(key));
  return h("nav", { class: "tabs", id: "field-tabs", "aria-label": t("field.title") },
    tab("#/field", "field.forms", "field-home"), tab("#/field/outbox", "field.outbox", "field-outbox"), tab("#/field/map", "field.map", "field-map"));
}

export async function renderField(root: HTMLElement, _user: Me): Promise<void> {
  const [forms, kept, waiting] = await Promise.all([loadForms(), drafts.list().catch(() => []), outbox.list().catch(() => [])]);
  const open = kept.filter((d) => d.outbox === null);
  const list = h("ul", { class: "drafts", id: "field-drafts" }, ...open.map((d) => h("li", {},
    h("a", { href: `#/field/form/${d.form}?draft=${d.id}` }, `${t(FIELD_FORMS.find(([k]) => k === d.form)?.[1] ?? "form.kind.eo")} ${d.label}`),
    " ", h("span", { class: "muted" }, date(d.updated_at)), " ",
    h("button", { type: "button", class: "link", "aria-label": t("field.draft_delete_named", { name: d.label }), onclick: async (e: Event) => {
      if (!confirm(t("field.draft_delete_confirm"))) return;
      await drafts.remove(d.id);
      (e.target as HTMLElement).closest("li")?.remove();
    } }, t("field.draft_delete")))));
  root.append(
    fieldTabs("field-home"),
    h("h1", {}, t("field.title")),
    h("p", { class: navigator.onLine ? "muted" : "offline-note", id: "field-online" }, navigator.onLine ? t("field.online") : t("field.offline")),
    forms ? h("p", { class: "muted", id: "field-forms-version" }, t("field.forms_version", { version: forms.version }))
      : h("p", { class: "error", role: "alert", id: "field-no-forms" }, t("field.no_forms")),
    h("div", { class: "field-choices", id: "field-choices" }, ...FIELD_FORMS.map(([k, label]) =>
      h("a", { href: `#/field/form/${k}`, class: "button", "data-form": k }, t(label)))),
    h("h2", {}, t("field.drafts")),
    open.length ? list : h("p", { class: "muted" }, t("field.no_drafts")),
    h("p", {}, h("a", { href: "#/field/outbox", id: "field-outbox-link" }, t("field.outbox_n", { n: waiting.length }))));
}
