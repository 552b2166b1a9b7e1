// A victim: the record for everyone; personal data only for roles allowed them, on request
// (each read is recorded in the audit log by the server).
import { api, type Me } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { fieldLabel, fieldVocabulary, label, loadVocab } from "../vocab";

export async function renderVictim(root: HTMLElement, id: string, user: Me): Promise<void> {
  const [v] = await Promise.all([api<{ record: Record<string, unknown> }>(`/api/items/${id}`), loadVocab()]);
  const rows = Object.entries(v.record).filter(([k]) => k !== "kind");
  const personal = h("div", { id: "personal-data" });
  root.append(h("div", {},
    h("h1", {}, t("victim.title", { id })),
    h("table", { class: "figures" }, ...rows.map(([k, val]) => h("tr", {}, h("th", {}, fieldLabel(k)),
      h("td", {}, fieldVocabulary("victim", k) ? label(fieldVocabulary("victim", k) ?? "", val) : val === null ? "" : String(val))))),
    user.may.personal_data
      ? h("section", {}, h("h2", {}, t("victim.personal")),
          h("button", { id: "show-personal", onclick: async () => {
            const p = await api<{ personal_data: Record<string, unknown> | null }>(`/api/items/${id}/personal-data`);
            personal.replaceChildren(h("table", { class: "figures" },
              ...Object.entries(p.personal_data ?? {}).map(([k, val]) => h("tr", {}, h("th", {}, k), h("td", {}, val === null ? "" : String(val))))));
          } }, t("victim.show")), personal)
      : null,
  ));
}
