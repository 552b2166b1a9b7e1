// The ordnance catalogue in force (GET /api/reference): the built-in models and those of the
// reference set the programme adopted from its regional hub. The Ordnance catalogue page lists
// it; the EO find form offers its models and says what the catalogue says of the one typed.
import { api } from "./api";

/** One ordnance model of the catalogue in force. */
export interface OrdnanceModel {
  model: string;
  /** Ordnance category code (ap_mine, at_mine, submunition, uxo, …). */
  category: string;
  description: string;
  aliases: string[];
  source: "built-in" | "reference";
}

/** The catalogue in force and the reference data adopted (version 0: none). */
export interface ReferenceData {
  hub: string | null;
  version: number;
  adopted_at: string | null;
  /** On a hub, the latest reference version it published (0: none, or not a hub). */
  published_version: number;
  ordnance: OrdnanceModel[];
  /** Regional code lists adopted: vocabulary name → term of the region's forms → Safeground code. */
  codes?: Record<string, Record<string, string>>;
}

/** One term of the region's forms that imports translate to a Safeground code. */
export interface RegionalTerm {
  vocabulary: string;
  term: string;
  code: string;
}

/** The regional terms adopted, by vocabulary then term. */
export function regionalTerms(ref: ReferenceData): RegionalTerm[] {
  return Object.entries(ref.codes ?? {})
    .flatMap(([vocabulary, terms]) => Object.entries(terms).map(([term, code]) => ({ vocabulary, term, code })))
    .sort((a, b) => a.vocabulary.localeCompare(b.vocabulary) || a.term.localeCompare(b.term));
}

export const loadReference = () => api<ReferenceData>("/api/reference");

/** How the server compares model names: letters and digits only, lower case ("pmn 2" is "PMN-2"). */
export function modelKey(model: string): string {
  return model.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** The catalogue entry that `typed` names, by its model or one of its other names (null if none). */
export function lookupModel(ordnance: OrdnanceModel[], typed: string): OrdnanceModel | null {
  const key = modelKey(typed);
  if (!key) return null;
  return ordnance.find((m) => modelKey(m.model) === key || m.aliases.some((a) => modelKey(a) === key)) ?? null;
}
