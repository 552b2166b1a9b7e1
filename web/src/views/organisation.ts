// The organisation a field report is written for, and whose work its activity, session,
// service or QA visit is: a data-entry user's own organisation (shown, not chosen); a user of
// the national authority (approver, administrator) chooses among the programme's
// organisations, their own first selected. The server fills a record that names none with the
// report's organisation too, so API clients get the same.
import { api, me } from "../api";
import { h } from "../dom";
import { t } from "../i18n";

interface Organisation { local_id: string; name: string; organisation_type: string }

export interface OrganisationField {
  /** The labelled field. */
  field: HTMLElement;
  /** The organisation's local id. */
  value: () => string;
}

export async function organisationField(): Promise<OrganisationField> {
  const user = await me();
  const all = user.national
    ? await api<{ rows: Organisation[] }>("/api/records?kind=organisation&limit=1000&sort=name")
      .then((r) => r.rows).catch(() => [] as Organisation[])
    : [];
  const choices = all.filter((o) => o.organisation_type !== "donor");
  if (!choices.some((o) => o.local_id === user.organisation)) {
    choices.unshift({ local_id: user.organisation, name: user.organisation, organisation_type: "" });
  }
  const select = h("select", { name: "organisation", id: "report-organisation", "data-field": "organisation", disabled: !user.national },
    ...choices.map((o) => h("option", { value: o.local_id, selected: o.local_id === user.organisation },
      o.name === o.local_id ? o.local_id : `${o.name} (${o.local_id})`)));
  const field = h("label", { class: "field" }, t("form.organisation"), select,
    h("span", { class: "field-error", "data-error-for": "organisation" }));
  return { field, value: () => select.value || user.organisation };
}
