// Field report forms other than land release (EO spot task, accident and victims, risk
// education, QA visit, victim-assistance service), from one small form engine. The forms only gather what the field team
// wrote: vocabularies come from the server, positions are converted by the server, and the
// report is validated by the server, whose findings are shown next to the fields they name.
import { api, ApiError } from "../api";
import { h } from "../dom";
import { t, vocabLabel } from "../i18n";
import type { MessageKey } from "../locales/en";
import { organisationField } from "./organisation";
import { loadReference, lookupModel, type ReferenceData } from "../catalogue";

type Vocab = Record<string, { code: string; label: string }[]>;
type Field =
  | { name: string; label: MessageKey; type: "text" | "date" | "number" | "checkbox" | "textarea" | "point"; value?: string }
  | { name: string; label: MessageKey; type: "select"; vocab: string; optional?: boolean };

interface Spec {
  kind: string;
  title: MessageKey;
  record: Field[];
  /** Repeated victim entries (accident form). */
  victims?: Field[];
  personal?: Field[];
  /** A beneficiaries grid (risk education). */
  beneficiaries?: boolean;
  /** One optional non-conformity (QA visit). */
  nonConformity?: Field[];
  /** The record says whose work it is (the report's organisation). */
  organisation?: boolean;
}

const today = () => new Date().toISOString().slice(0, 10);
const formNo = (p: string) => `${p}-${Date.now().toString(36).toUpperCase()}`;

export const SPECS: Record<string, Spec> = {
  eo: {
    kind: "eo_find", title: "form.kind.eo",
    record: [
      { name: "local_id", label: "form.local_id", type: "text" },
      { name: "hazard", label: "form.hazard", type: "text" },
      { name: "category", label: "f.category", type: "select", vocab: "ordnance_category" },
      { name: "model", label: "f.model", type: "text" },
      { name: "quantity", label: "f.quantity", type: "number", value: "1" },
      { name: "condition", label: "f.condition", type: "select", vocab: "item_condition", optional: true },
      { name: "disposal", label: "f.disposal", type: "select", vocab: "disposal_method", optional: true },
      { name: "depth_cm", label: "f.depth", type: "number" },
      { name: "found_date", label: "f.found_date", type: "date" },
      { name: "destroyed_date", label: "f.destroyed_date", type: "date" },
      { name: "location", label: "f.location", type: "point" },
    ],
  },
  accident: {
    kind: "accident", title: "form.kind.accident",
    record: [
      { name: "local_id", label: "form.local_id", type: "text" },
      { name: "date", label: "f.date_accident", type: "date" },
      { name: "admin_pcode", label: "col.admin", type: "text" },
      { name: "device_category", label: "f.device", type: "select", vocab: "ordnance_category", optional: true },
      { name: "hazard", label: "form.hazard", type: "text" },
      { name: "description", label: "f.description", type: "textarea" },
      { name: "location", label: "f.location", type: "point" },
    ],
    victims: [
      { name: "sex", label: "dash.sex", type: "select", vocab: "sex" },
      { name: "age_at_accident", label: "f.age", type: "number" },
      { name: "outcome", label: "f.outcome", type: "select", vocab: "casualty_outcome" },
      { name: "activity_at_time", label: "f.activity_at_time", type: "select", vocab: "activity_at_time", optional: true },
      { name: "deminer", label: "f.deminer", type: "checkbox" },
    ],
    personal: [
      { name: "full_name", label: "f.full_name", type: "text" },
      { name: "address", label: "f.address", type: "text" },
    ],
  },
  re: {
    kind: "risk_education", title: "form.kind.re", organisation: true,
    record: [
      { name: "local_id", label: "form.local_id", type: "text" },
      { name: "date", label: "f.date_session", type: "date" },
      { name: "admin_pcode", label: "col.admin", type: "text" },
      { name: "method", label: "f.re_method", type: "select", vocab: "education_method", optional: true },
      { name: "donor", label: "f.donor", type: "text" },
      { name: "location", label: "f.location", type: "point" },
    ],
    beneficiaries: true,
  },
  va: {
    kind: "assistance", title: "form.kind.va", organisation: true,
    record: [
      { name: "local_id", label: "form.local_id", type: "text" },
      { name: "service", label: "f.service", type: "select", vocab: "assistance_type" },
      { name: "date", label: "f.date_service", type: "date" },
      { name: "victim", label: "f.victim_id", type: "text" },
      { name: "sex", label: "dash.sex", type: "select", vocab: "sex" },
      { name: "age", label: "f.age_now", type: "number" },
      { name: "persons", label: "f.persons", type: "number", value: "1" },
      { name: "admin_pcode", label: "col.admin", type: "text" },
      { name: "donor", label: "f.donor", type: "text" },
      { name: "comment", label: "f.comment_no_personal", type: "textarea" },
    ],
  },
  qa: {
    kind: "qa_visit", title: "form.kind.qa", organisation: true,
    record: [
      { name: "local_id", label: "form.local_id", type: "text" },
      { name: "qa_type", label: "f.qa_type", type: "select", vocab: "qa_type" },
      { name: "activity", label: "f.activity", type: "text" },
      { name: "date", label: "f.date_visit", type: "date" },
    ],
    nonConformity: [
      { name: "category", label: "f.nc_category", type: "select", vocab: "non_conformity_category", optional: true },
      { name: "description", label: "f.description", type: "textarea" },
      { name: "corrective_action", label: "f.corrective", type: "text" },
    ],
  },
};

type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function input(f: Field, vocab: Vocab, scope: string): { el: HTMLElement; read: () => Input } {
  let el: Input;
  if (f.type === "select") {
    el = h("select", { name: f.name, "data-scope": scope },
      f.optional ? h("option", { value: "" }, t("f.none")) : null,
      ...(vocab[f.vocab] ?? []).map((v) => h("option", { value: v.code }, vocabLabel(f.vocab, v.code, v.label))));
  } else if (f.type === "textarea") {
    el = h("textarea", { name: f.name, rows: 2, "data-scope": scope });
  } else {
    const type = f.type === "point" ? "text" : f.type;
    el = h("input", { name: f.name, type, "data-scope": scope, value: f.value ?? (f.type === "date" ? today() : undefined) });
  }
  const wrap = h("label", { class: f.type === "checkbox" ? "field check" : "field" }, t(f.label), el,
    h("span", { class: "field-error", "data-error-for": `${scope}.${f.name}` }));
  return { el: wrap, read: () => el };
}

async function toPoint(text: string): Promise<unknown> {
  const s = text.trim();
  const nums = s.split(/[\s,;]+/).map(Number);
  const position = nums.length === 2 && nums.every(Number.isFinite) ? { lat: nums[0], lon: nums[1] }
    : /^\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z]{2}\d+$/i.test(s.replace(/\s+/g, "")) ? { mgrs: s } : { utm: s };
  const r = await api<{ point: unknown }>("/api/geometry/preview", { method: "POST", body: JSON.stringify({ point: position }) });
  return r.point;
}

async function values(fields: Field[], inputs: Map<string, Input>, scope: string, errors: Map<string, string>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const el = inputs.get(`${scope}.${f.name}`);
    if (!el) continue;
    if (f.type === "checkbox") out[f.name] = (el as HTMLInputElement).checked;
    else if (!el.value.trim()) out[f.name] = null;
    else if (f.type === "number") out[f.name] = Number(el.value);
    else if (f.type === "point") {
      try {
        out[f.name] = await toPoint(el.value);
      } catch (e) {
        errors.set(`${scope}.${f.name}`, e instanceof ApiError ? (e.problem.errors?.[0]?.message ?? e.problem.detail) : String(e));
      }
    } else out[f.name] = el.value.trim();
  }
  return out;
}

/** The EO find's model field offers every model and other name of the ordnance catalogue in
 *  force, and says under it what the catalogue says of the model typed: its category and
 *  description, and a warning when the category chosen is another (the server refuses such a
 *  find at submission; the form does not stop it, the server decides). */
function modelHelp(reference: ReferenceData, vocab: Vocab, inputs: Map<string, Input>): void {
  const model = inputs.get("0.model");
  const category = inputs.get("0.category");
  if (!(model instanceof HTMLInputElement) || !model.parentElement) return;
  const names = new Map<string, string>();
  for (const m of reference.ordnance) {
    names.set(m.model, m.description);
    for (const alias of m.aliases) if (!names.has(alias)) names.set(alias, m.model);
  }
  const list = h("datalist", { id: "model-list" }, ...[...names].map(([value, text]) => h("option", { value }, text)));
  const hint = h("span", { class: "model-hint", id: "model-hint", "aria-live": "polite" });
  hint.hidden = true;
  model.setAttribute("list", "model-list");
  model.setAttribute("autocomplete", "off");
  model.setAttribute("aria-describedby", "model-hint");
  model.after(list, hint);
  const categoryLabel = (code: string) => {
    const v = (vocab.ordnance_category ?? []).find((c) => c.code === code);
    return vocabLabel("ordnance_category", code, v?.label ?? code);
  };
  const update = () => {
    const found = lookupModel(reference.ordnance, model.value);
    hint.hidden = !found;
    if (!found) {
      hint.textContent = "";
      hint.className = "model-hint";
      return;
    }
    const expected = categoryLabel(found.category);
    const chosen = category?.value ?? "";
    const differs = chosen !== "" && chosen !== found.category;
    hint.className = differs ? "model-hint warning" : "model-hint";
    hint.dataset.model = found.model;
    hint.textContent = differs
      ? t("form.model_mismatch", { model: found.model, category: expected, chosen: categoryLabel(chosen), description: found.description })
      : t("form.model_hint", { model: found.model, category: expected, description: found.description });
  };
  model.addEventListener("input", update);
  model.addEventListener("change", update);
  category?.addEventListener("change", update);
  update();
}

export async function renderForm(root: HTMLElement, which: string): Promise<void> {
  const spec = SPECS[which];
  const [vocab, organisation, reference] = await Promise.all([
    api<Vocab>("/api/vocabularies"), organisationField(),
    // The ordnance catalogue in force, for the EO find's model (the form works without it).
    spec.kind === "eo_find" ? loadReference().catch(() => null) : Promise.resolve(null)]);
  const inputs = new Map<string, Input>();
  const add = (f: Field, scope: string) => {
    const { el, read } = input(f, vocab, scope);
    inputs.set(`${scope}.${f.name}`, read());
    return el;
  };
  const localId = formNo(which.toUpperCase());
  const recordFields = h("div", { class: "form-grid" }, ...spec.record.map((f) => add(f, "0")));
  const idInput = inputs.get("0.local_id");
  if (idInput) idInput.value = localId;
  if (reference) modelHelp(reference, vocab, inputs);
  const date = h("input", { type: "date", name: "date_of_information", value: today() });
  const extra = h("div", {});
  let victims = 0;
  const addVictim = () => {
    victims += 1;
    const scope = String(victims);
    extra.append(h("fieldset", { class: "victim" }, h("legend", {}, t("f.victim", { n: victims })),
      h("div", { class: "form-grid" }, ...(spec.victims ?? []).map((f) => add(f, scope)), ...(spec.personal ?? []).map((f) => add(f, `${scope}.personal`)))));
  };
  const grid = new Map<string, HTMLInputElement>();
  if (spec.beneficiaries) {
    const bands = vocab.age_band ?? [];
    const sexes = (vocab.sex ?? []).filter((s) => s.code === "female" || s.code === "male");
    extra.append(h("table", { class: "records beneficiaries" },
      h("thead", {}, h("tr", {}, h("th", {}, t("dash.sex")), ...bands.map((b) => h("th", {}, b.label)))),
      h("tbody", {}, ...sexes.map((s) => h("tr", {}, h("th", {}, vocabLabel("sex", s.code, s.label)), ...bands.map((b) => {
        const cell = h("input", { type: "number", min: 0, value: "0", name: `b.${s.code}.${b.code}` });
        grid.set(`${s.code}.${b.code}`, cell);
        return h("td", {}, cell);
      }))))),
      h("span", { class: "field-error", "data-error-for": "0.beneficiaries" }));
  }
  if (spec.nonConformity) extra.append(h("fieldset", {}, h("legend", {}, t("f.nc_category")), h("div", { class: "form-grid" }, ...spec.nonConformity.map((f) => add(f, "0.nc")))));
  if (spec.victims) addVictim();

  const message = h("p", { class: "form-message", role: "status" });
  // Shown once the server refuses a place outside the programme area: the user confirms it.
  const acceptOutside = h("input", { type: "checkbox", id: "accept-outside" });
  const acceptField = h("label", { class: "field check", id: "accept-outside-field" }, acceptOutside, t("form.accept_outside"));
  acceptField.hidden = true;
  const form = h("form", { class: "report-form", id: `form-${which}`, onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
    h("h1", {}, t(spec.title)),
    organisation.field,
    h("label", { class: "field" }, t("form.date"), date, h("span", { class: "field-error", "data-error-for": "date_of_information" })),
    recordFields, extra,
    spec.victims ? h("button", { type: "button", id: "add-victim", onclick: addVictim }, t("f.add_victim")) : null,
    acceptField,
    h("button", { type: "submit", id: "submit-report" }, t("form.submit")), message);
  root.append(form);

  async function submit(): Promise<void> {
    form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((el) => (el.textContent = ""));
    message.textContent = "";
    const errors = new Map<string, string>();
    const record: Record<string, unknown> = { kind: spec.kind, ...(await values(spec.record, inputs, "0", errors)) };
    if (spec.organisation) record.organisation = organisation.value();
    if (spec.beneficiaries) {
      record.beneficiaries = { counts: [...grid.entries()].filter(([, el]) => Number(el.value) > 0).map(([k, el]) => {
        const [sex, age_band] = k.split(".");
        return { sex, age_band, reach: "direct", count: Number(el.value) };
      }) };
    }
    if (spec.nonConformity) {
      const nc = await values(spec.nonConformity, inputs, "0.nc", errors);
      record.non_conformities = nc.category ? [{ ...nc, closed: false }] : [];
    }
    const entries: Record<string, unknown>[] = [{ record }];
    for (let v = 1; v <= victims; v++) {
      const victim = { kind: "victim", local_id: `${record.local_id}-V${v}`, accident: record.local_id, ...(await values(spec.victims ?? [], inputs, String(v), errors)) };
      const personal = await values(spec.personal ?? [], inputs, `${v}.personal`, errors);
      entries.push({ record: victim, personal_data: personal.full_name ? personal : null });
    }
    if (errors.size) {
      for (const [k, m] of errors) { const el = form.querySelector(`[data-error-for="${k}"]`); if (el) el.textContent = m; }
      return;
    }
    const report = { title: `${t(spec.title)} ${String(record.local_id ?? "")}`, organisation: organisation.value(), source: "web form", date_of_information: date.value, entries };
    try {
      const accept = acceptOutside.checked ? "&accept_outside_programme_area=true" : "";
      const r = await api<{ id: number }>(`/api/reports?submit=true${accept}`, { method: "POST", body: JSON.stringify(report) });
      message.textContent = t("form.submitted", { id: r.id });
      message.className = "form-message ok";
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      message.textContent = t("form.invalid");
      message.className = "form-message error";
      for (const err of e.problem.errors ?? []) {
        if (err.message.includes("outside the programme area")) acceptField.hidden = false;
        // entries[i].record.field, entries[i].personal_data.field, or a report field.
        const m = err.field.match(/^entries\[(\d+)\]\.(record|personal_data)\.([a-z_]+)/);
        const key = m ? (m[2] === "personal_data" ? `${m[1]}.personal.${m[3]}` : `${m[1]}.${m[3]}`) : err.field;
        const target = form.querySelector<HTMLElement>(`[data-error-for="${key}"]`);
        if (target) target.textContent = err.message;
        else message.textContent += ` ${err.field}: ${err.message}`;
      }
    }
  }
}
