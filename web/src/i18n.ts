// Languages: English (the keys), Khmer, Lao, Thai, Vietnamese, Burmese and Azerbaijani, each a
// `Messages` file and a vocabulary-label file in locales/ (docs/translations.md says how to add
// one and which await a native speaker's review). Numbers and dates are formatted with the
// locale's conventions: Thai with the Gregorian calendar (the dates people type are Gregorian),
// Burmese with Myanmar digits (CLDR's default).
import { az } from "./locales/az";
import { azVocab } from "./locales/az-vocab";
import { en, type MessageKey, type Messages } from "./locales/en";
import { km } from "./locales/km";
import { kmVocab } from "./locales/km-vocab";
import { lo } from "./locales/lo";
import { loVocab } from "./locales/lo-vocab";
import { my } from "./locales/my";
import { myVocab } from "./locales/my-vocab";
import { th } from "./locales/th";
import { thVocab } from "./locales/th-vocab";
import { vi } from "./locales/vi";
import { viVocab } from "./locales/vi-vocab";

/** The UI's languages, in the switcher's order, each named in its own script. */
export const LOCALES: Record<string, { name: string; messages: Messages; vocab: Record<string, string>; intl: string }> = {
  en: { name: "English", messages: en, vocab: {}, intl: "en-GB" },
  km: { name: "ខ្មែរ", messages: km, vocab: kmVocab, intl: "km-KH" },
  lo: { name: "ລາວ", messages: lo, vocab: loVocab, intl: "lo-LA" },
  th: { name: "ไทย", messages: th, vocab: thVocab, intl: "th-TH-u-ca-gregory" },
  vi: { name: "Tiếng Việt", messages: vi, vocab: viVocab, intl: "vi-VN" },
  my: { name: "မြန်မာ", messages: my, vocab: myVocab, intl: "my-MM" },
  az: { name: "Azərbaycanca", messages: az, vocab: azVocab, intl: "az-Latn-AZ" },
};

let current = localStorage.getItem("sg.lang") ?? "en";
if (!(current in LOCALES)) current = "en";

export function lang(): string {
  return current;
}

export function setLang(code: string): void {
  if (code in LOCALES) {
    current = code;
    localStorage.setItem("sg.lang", code);
    document.documentElement.lang = code;
  }
}

/** The message `key` with `{name}` placeholders replaced. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  let s: string = LOCALES[current].messages[key] ?? en[key];
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
  return s;
}

/** A number in the locale's format. */
export function num(n: number, digits = 0): string {
  return new Intl.NumberFormat(LOCALES[current].intl, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n);
}

/**
 * A YYYY-MM-DD date in the locale's format; as YYYY-MM-DD where the browser lacks the locale's
 * data (some builds ship a reduced ICU without Khmer, Lao or Burmese), rather than in English.
 */
export function date(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  const tag = LOCALES[current].intl;
  if (Intl.DateTimeFormat.supportedLocalesOf([tag]).length === 0) {
    return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
  }
  return new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeZone: "UTC" }).format(d);
}

/** The label of a vocabulary value in the current language (the server's label otherwise). */
export function vocabLabel(vocabulary: string, code: string, fallback: string): string {
  return LOCALES[current].vocab[`${vocabulary}.${code}`] ?? fallback;
}

/** Whole minutes left until the instant `iso` (0 once past). */
export function minutesLeft(iso: string): number {
  return Math.max(0, Math.ceil((new Date(iso).getTime() - Date.now()) / 60000));
}
