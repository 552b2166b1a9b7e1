// Controlled vocabularies from the server, shown with the current language's labels.
import { api } from "./api";
import { vocabLabel } from "./i18n";

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
  };
  if (field === "status") return kind === "activity" ? "activity_status" : null;
  if (field === "method") return kind === "risk_education" ? "education_method" : null;
  return common[field] ?? null;
}
