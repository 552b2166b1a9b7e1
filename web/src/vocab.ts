// Controlled vocabularies from the server, shown with the current language's labels.
import { api } from "./api";
import { t, vocabLabel } from "./i18n";
import type { MessageKey } from "./locales/en";

type Vocab = Record<string, { code: string; label: string }[]>;
let loaded: Vocab | null = null;

/** Loads the vocabularies once. */
export async function loadVocab(): Promise<Vocab> {
  loaded ??= await api<Vocab>("/api/vocabularies");
  return loaded;
}

/** The label of `code` in `vocabulary` (the code itself when unknown). */
export function label(vocabulary: string, code: unknown): string {
  if (code === null || code === undefined || code === "") return "";
  const c = String(code);
  const server = loaded?.[vocabulary]?.find((v) => v.code === c)?.label;
  return vocabLabel(vocabulary, c, server ?? c);
}

/** Which vocabulary a record field of a kind holds. */
export function fieldVocabulary(kind: string, field: string): string | null {
  const common: Record<string, string> = {
    category: "ordnance_category", device_category: "ordnance_category", sex: "sex",
    outcome: "casualty_outcome", activity_at_time: "activity_at_time", activity_type: "activity_type",
    condition: "item_condition", disposal: "disposal_method", qa_type: "qa_type",
    assets: "asset_type", asset_type: "asset_type", class: "hazard_class", service: "assistance_type",
    reach: "audience_reach", non_conformities: "non_conformity_category",
  };
  if (field === "status") return kind === "activity" ? "activity_status" : kind === "hazard" ? "hazard_status" : null;
  if (field === "method") return kind === "risk_education" ? "education_method" : "release_method";
  return common[field] ?? null;
}

const FIELD_LABELS: Record<string, MessageKey> = {
  id: "col.id", local_id: "col.local_id", name: "col.name", date_of_information: "col.date",
  admin_pcode: "col.admin", organisation: "col.organisation", status: "col.status",
  category: "f.category", model: "f.model", quantity: "f.quantity", condition: "f.condition",
  disposal: "f.disposal", found_date: "f.found_date", destroyed_date: "f.destroyed_date", depth_cm: "f.depth",
  date: "f.date", date_known: "f.date_known", device_category: "f.device", description: "f.description",
  sex: "dash.sex", age_at_accident: "f.age", outcome: "f.outcome", activity_at_time: "f.activity_at_time",
  deminer: "f.deminer", activity_type: "form.activity_type", start_date: "form.start", end_date: "form.end",
  hazard: "f.hazard", activity: "f.activity_name", accident: "f.accident", team: "f.team", assets: "form.asset",
  qa_type: "f.qa_type", method: "f.re_method", comment: "f.comment", beneficiaries: "dash.re",
  non_conformities: "f.nc_category", location: "f.location",
  hazards: "f.hazards", released_areas: "f.released_areas", reported_area_m2: "f.reported_area",
  class: "f.class", victim: "f.victim_id", donor: "f.donor_org", persons: "f.persons", age: "f.age_now",
  clearance_depth_cm: "f.clearance_depth", technical_asset_used: "f.technical_asset",
};

/** The heading of a record field in the current language (the field name when not known). */
export function fieldLabel(field: string): string {
  const key = FIELD_LABELS[field];
  return key ? t(key) : field;
}

const VOCABULARY_NAMES: Record<string, MessageKey> = {
  ordnance_category: "f.category", sex: "dash.sex", item_condition: "f.condition", disposal_method: "f.disposal",
  casualty_outcome: "f.outcome", activity_at_time: "f.activity_at_time", activity_type: "form.activity_type",
  activity_status: "form.status", release_method: "form.method", asset_type: "form.asset", qa_type: "f.qa_type",
  non_conformity_category: "f.nc_category", assistance_type: "f.service",
  hazard_class: "catalogue.vocab.hazard_class", hazard_status: "catalogue.vocab.hazard_status",
  education_method: "catalogue.vocab.education_method", audience_reach: "catalogue.vocab.audience_reach",
  age_band: "catalogue.vocab.age_band",
};

/** A vocabulary's name as people read it ("hazard_class" → "Hazard class"; unknown ones made readable). */
export function vocabularyName(vocabulary: string): string {
  const key = VOCABULARY_NAMES[vocabulary];
  if (key) return t(key);
  const words = vocabulary.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
