// A field report form (EO find, accident and victims, risk education, victim assistance, QA
// visit) that works with no connection: the fields of forms.ts's SPECS, vocabularies and rules
// from the stored `GET /api/forms`, the draft saved on the device as it is typed, a GPS button on
// the position, photos, and "Save to outbox" once the device's rules find nothing.
import type { Me } from "../api";
import { h } from "../dom";
import { t, vocabLabel } from "../i18n";
import type { MessageKey } from "../locales/en";
import * as drafts from "../field/drafts";
import type { Draft } from "../field/drafts";
import { isQuotaError } from "../field/db";
import { loadForms, type Forms } from "../field/offline";
import * as outbox from "../field/outbox";
import type { Submission } from "../field/outbox";
import { localToday } from "../field/rules";
import { toOutbox, validate } from "../field/submit";
import { photoField, pointField, pointValue, serverKey, showErrors } from "../field/widgets";
import { SPECS } from "./forms";

type Field = (typeof SPECS)[string]["record"][number];

/** The draft of `form` named in the hash (`?draft=`), or a new one named there from now on. */
export async function openDraft(form: string, fresh: (d: Draft) => void): Promise<Draft> {
  const id = new URLSearchParams(location.hash.split("?")[1] ?? "").get("draft");
  const found = id ? await drafts.load(id).catch(() => undefined) : undefined;
  if (found && found.form === form) return found;
  const d = drafts.newDraft(form);
  fresh(d);
  history.replaceState(null, "", `#/field/form/${form}?draft=${d.id}`);
  return d;
}

/** Saves the draft a moment after the last change, and says so. */
export function autosave(draft: Draft, status: HTMLElement): () => void {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      drafts.save(draft).then(() => { status.textContent = t("field.draft_saved"); })
        .catch((e) => { status.textContent = isQuotaError(e) ? t("field.full") : String(e); });
    }, 300);
  };
}

/** After "Save to outbox": what happened, the storage's persistence and where to go next. */
export function savedPanel(form: string, result: { persisted: boolean | null }): HTMLElement {
  return h("div", { class: "field-saved", id: "field-saved", role: "status" },
    h("p", { class: "form-message ok" }, t("field.saved")),
    h("p", { id: "field-persisted" }, result.persisted === null ? "" : result.persisted ? t("field.persist_granted") : t("field.persist_denied")),
    h("p", { class: "actions" },
      h("a", { href: `#/field/form/${form}?new=${Date.now()}`, id: "field-new", class: "button" }, t("field.new_same")),
      h("a", { href: "#/field/outbox", id: "field-to-outbox", class: "button" }, t("field.outbox"))));
}

/** On a draft reopened from the outbox: the server's findings beside the fields they name. */
export async function showRefusal(draft: Draft, form: HTMLElement, message: HTMLElement): Promise<void> {
  const entry = draft.outbox ? await outbox.get(draft.outbox).catch(() => undefined) : undefined;
  if (!entry || entry.state === "waiting") return;
  showErrors(form, entry.errors.map((e) => ({ key: serverKey(e.field), message: e.message })), message);
  if (entry.error) message.prepend(entry.error, " ");
  message.className = "form-message error";
}

/** The message shown when saving to the outbox failed. */
export function saveFailed(e: unknown): string {
  return isQuotaError(e) ? t("field.full") : t("error.generic", { detail: String((e as Error)?.message ?? e) });
}

export async function renderFieldForm(root: HTMLElement, which: string, user: Me): Promise<void> {
  const spec = SPECS[which];
  const forms = await loadForms();
  if (!forms) {
    root.append(h("p", { class: "error", role: "alert", id: "field-no-forms" }, t("field.no_forms")));
    return;
  }
  const draft = await openDraft(which, (d) => {
    d.values["0.local_id"] = `${which.toUpperCase()}-${Date.now().toString(36).toUpperCase()}`;
    d.values.date_of_information = localToday();
    d.label = String(d.values["0.local_id"]);
  });
  const vocab = forms.vocabularies;
  const status = h("p", { class: "draft-status", id: "draft-status", "aria-live": "polite" });
  const changed = autosave(draft, status);

  const input = (f: Field, scope: string): HTMLElement => {
    const key = `${scope}.${f.name}`;
    if (f.type === "point") return pointField(key, t(f.label), draft, changed).el;
    const stored = draft.values[key];
    let el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    if (f.type === "select") {
      el = h("select", { name: f.name, "data-key": key },
        f.optional ? h("option", { value: "" }, t("f.none")) : null,
        ...(vocab[f.vocab] ?? []).map((v) => h("option", { value: v.code, selected: v.code === stored }, vocabLabel(f.vocab, v.code, v.label))));
    } else if (f.type === "textarea") {
      el = h("textarea", { name: f.name, rows: 2, "data-key": key });
      el.value = String(stored ?? "");
    } else {
      el = h("input", { name: f.name, type: f.type, "data-key": key });
      if (f.type === "checkbox") el.checked = stored === true;
      // Dates default to today, except the date destroyed (most finds are not destroyed yet).
      else el.value = String(stored ?? f.value ?? (f.type === "date" && f.name !== "destroyed_date" ? localToday() : ""));
    }
    return h("label", { class: f.type === "checkbox" ? "field check" : "field" }, t(f.label), el,
      h("span", { class: "field-error", "data-error-for": key }));
  };

  const victims = h("div", { id: "field-victims" });
  const drawVictims = () => victims.replaceChildren(...Array.from({ length: draft.victims }, (_, v) => {
    const scope = String(v + 1);
    return h("fieldset", { class: "victim" }, h("legend", {}, t("f.victim", { n: v + 1 })),
      h("div", { class: "form-grid" }, ...(spec.victims ?? []).map((f) => input(f, scope)), ...(spec.personal ?? []).map((f) => input(f, `${scope}.personal`))));
  }));
  drawVictims();

  const bands = vocab.age_band ?? [];
  const sexes = (vocab.sex ?? []).filter((s) => s.code === "female" || s.code === "male");
  const grid = spec.beneficiaries ? h("div", { class: "table-scroll" }, h("table", { class: "records beneficiaries" },
    h("thead", {}, h("tr", {}, h("th", {}, t("dash.sex")), ...bands.map((b) => h("th", {}, b.label)))),
    h("tbody", {}, ...sexes.map((s) => h("tr", {}, h("th", {}, vocabLabel("sex", s.code, s.label)), ...bands.map((b) => {
      const key = `b.${s.code}.${b.code}`;
      return h("td", {}, h("input", { type: "number", min: 0, name: key, "data-key": key, value: String(draft.values[key] ?? "0"), "aria-label": `${vocabLabel("sex", s.code, s.label)} ${b.label}` }));
    }))))), h("span", { class: "field-error", "data-error-for": "0.beneficiaries" })) : null;

  const date = h("input", { type: "date", name: "date_of_information", "data-key": "date_of_information", value: String(draft.values.date_of_information ?? localToday()) });
  const message = h("p", { class: "form-message", role: "status", id: "field-message" });
  const save = h("button", { type: "submit", id: "field-save", disabled: true }, t("field.save"));
  const form = h("form", { class: "report-form field-form", id: `field-form-${which}`, novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
    h("h1", {}, t(spec.title as MessageKey)),
    h("p", { class: "field-org" }, `${t("form.organisation")}: ${user.organisation}`),
    h("label", { class: "field" }, t("form.date"), date, h("span", { class: "field-error", "data-error-for": "date_of_information" })),
    h("div", { class: "form-grid" }, ...spec.record.map((f) => input(f, "0"))),
    spec.nonConformity ? h("fieldset", {}, h("legend", {}, t("f.nc_category")), h("div", { class: "form-grid" }, ...spec.nonConformity.map((f) => input(f, "0.nc")))) : null,
    grid, victims,
    spec.victims ? h("button", { type: "button", id: "add-victim", onclick: () => { draft.victims += 1; drawVictims(); changed(); } }, t("f.add_victim")) : null,
    photoField(draft, changed),
    status, save, message);
  form.addEventListener("input", (e) => {
    const el = e.target as HTMLInputElement;
    if (!el.dataset?.key) return;
    draft.values[el.dataset.key] = el.type === "checkbox" ? el.checked : el.value;
    if (el.dataset.key === "0.local_id") draft.label = el.value;
    changed();
  });
  root.append(form);
  // Selects report "change" only: their values are read here too, and saved with the draft.
  for (const el of form.querySelectorAll<HTMLSelectElement>("select[data-key]")) {
    draft.values[el.dataset.key ?? ""] ??= el.value;
    el.addEventListener("change", () => { draft.values[el.dataset.key ?? ""] = el.value; changed(); });
  }
  save.disabled = false;
  await showRefusal(draft, form, message);

  const text = (key: string) => {
    const v = draft.values[key];
    return typeof v === "string" ? v.trim() : "";
  };
  const values = (fields: Field[], scope: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const key = `${scope}.${f.name}`;
      if (f.type === "checkbox") out[f.name] = draft.values[key] === true;
      else if (f.type === "point") out[f.name] = pointValue(key, String(draft.values[key] ?? ""), draft);
      else if (!text(key)) out[f.name] = null;
      else out[f.name] = f.type === "number" ? Number(text(key)) : text(key);
    }
    return out;
  };

  function report(): Submission["report"] {
    const record: Record<string, unknown> = { kind: spec.kind, ...values(spec.record, "0") };
    if (spec.organisation) record.organisation = user.organisation;
    if (spec.beneficiaries) {
      record.beneficiaries = { counts: sexes.flatMap((s) => bands.map((b) => ({ sex: s.code, age_band: b.code, reach: "direct", count: Number(draft.values[`b.${s.code}.${b.code}`] ?? 0) })))
        .filter((c) => c.count > 0) };
    }
    if (spec.nonConformity) {
      const nc = values(spec.nonConformity, "0.nc");
      record.non_conformities = nc.category ? [{ ...nc, closed: false }] : [];
    }
    const entries: Submission["report"]["entries"] = [{ record }];
    for (let v = 1; v <= draft.victims; v++) {
      const victim = { kind: "victim", local_id: `${record.local_id}-V${v}`, accident: record.local_id, ...values(spec.victims ?? [], String(v)) };
      const personal = values(spec.personal ?? [], `${v}.personal`);
      entries.push({ record: victim, personal_data: personal.full_name ? personal : null });
    }
    const fix = Object.values(draft.fixes)[0];
    return {
      title: `${t(spec.title as MessageKey)} ${String(record.local_id ?? "")}`, organisation: user.organisation,
      source: fix ? `field app; GPS ±${Math.round(fix.accuracy)} m` : "field app",
      date_of_information: String(draft.values.date_of_information ?? localToday()), entries,
    };
  }

  async function submit(): Promise<void> {
    message.textContent = "";
    message.className = "form-message";
    const r = report();
    if (showErrors(form, validate(r, forms as Forms), message) > 0) {
      message.prepend(t("field.fix_errors"), " ");
      message.className = "form-message error";
      form.querySelector<HTMLElement>(".field-error:not(:empty)")?.scrollIntoView({ block: "center" });
      return;
    }
    save.disabled = true;
    try {
      const result = await toOutbox(draft, forms as Forms, r);
      form.replaceWith(savedPanel(which, result));
    } catch (e) {
      message.textContent = saveFailed(e);
      message.className = "form-message error";
      save.disabled = false;
    }
  }
}
