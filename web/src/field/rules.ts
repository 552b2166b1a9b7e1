// The record rules of `GET /api/forms`, run on the device so a form can be checked with no
// connection. These are the server's own rules (it runs the same set at submission): this module
// only interprets them as the contract defines each one and adds none of its own. Rules that need
// the database or the geometry engine are not in the set; the server applies them at sync.

/** One rule, tagged by `rule`; `field` is a path inside the record ("beneficiaries.counts"). */
export type Rule =
  | { rule: "id"; field: string; message: string; message_required: string }
  | { rule: "required"; field: string; message: string }
  | { rule: "required_if"; field: string; when: string; message: string }
  | { rule: "min"; field: string; min: number; message: string }
  | { rule: "max"; field: string; max: number; message: string }
  | { rule: "not_after"; field: string; limit: "today" | "date_of_information"; message: string }
  | { rule: "not_before"; field: string; other: string; message: string }
  | { rule: "not_with"; field: string; value: string; other: string; message: string }
  | { rule: "point"; field: string; message: string }
  | { rule: "each"; field: string; rules: Rule[] }
  | { rule: "any_positive"; field: string; of: string; message: string };

/** A finding, as the server's problem `errors` name them inside a record. */
export interface FieldError { field: string; message: string }

/** What rules compare with besides the record. */
export interface Context {
  /** The device's local date, YYYY-MM-DD. */
  today: string;
  /** The report's date of information, YYYY-MM-DD. */
  date_of_information: string;
}

/** The device's local date as YYYY-MM-DD. */
export function localToday(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function at(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const given = (v: unknown) => v !== null && v !== undefined;

/** The template with `{value}`, `{limit}` and `{other}` put in, in one pass (a value that itself
 *  contains `{limit}` stays as typed), as the server fills it. */
function fill(template: string, value: string, limit: string, other: string): string {
  const vars: Record<string, string> = { value, limit, other };
  return template.replace(/\{(value|limit|other)\}/g, (_, k: string) => vars[k]);
}

/** The findings of `rules` on `record`, in rule order. */
export function check(rules: Rule[], record: Record<string, unknown>, ctx: Context): FieldError[] {
  const out: FieldError[] = [];
  const add = (field: string, message: string) => out.push({ field, message });
  for (const r of rules) {
    const value = at(record, r.field);
    switch (r.rule) {
      case "id": {
        const v = str(value);
        if (v === null || v.trim() === "") add(r.field, r.message_required);
        else if (v.trim() !== v) add(r.field, fill(r.message, v, "", ""));
        break;
      }
      case "required": {
        const v = str(value);
        if (v === null || v.trim() === "") add(r.field, r.message);
        break;
      }
      case "required_if":
        if (at(record, r.when) === true && !given(value)) add(r.field, r.message);
        break;
      case "min": {
        const v = num(value);
        if (v !== null && v < r.min) add(r.field, fill(r.message, String(v), String(r.min), ""));
        break;
      }
      case "max": {
        const v = num(value);
        if (v !== null && v > r.max) add(r.field, fill(r.message, String(v), String(r.max), ""));
        break;
      }
      case "not_after": {
        const limit = r.limit === "today" ? ctx.today : ctx.date_of_information;
        const v = str(value);
        if (v !== null && v > limit) add(r.field, fill(r.message, v, limit, ""));
        break;
      }
      case "not_before": {
        const v = str(value);
        const o = str(at(record, r.other));
        if (v !== null && o !== null && v < o) add(r.field, fill(r.message, v, "", o));
        break;
      }
      case "not_with":
        if (str(value) === r.value && given(at(record, r.other))) add(r.field, r.message);
        break;
      case "point": {
        const c = (value as { coordinates?: unknown } | null)?.coordinates;
        const [x, y] = Array.isArray(c) ? [num(c[0]), num(c[1])] : [null, null];
        if (x !== null && y !== null && !(x >= -180 && x <= 180 && y >= -90 && y <= 90)) {
          add(r.field, r.message.replaceAll("{x}", String(x)).replaceAll("{y}", String(y)));
        }
        break;
      }
      case "each":
        if (Array.isArray(value)) {
          value.forEach((element, i) => {
            const inner = element !== null && typeof element === "object" ? (element as Record<string, unknown>) : {};
            for (const e of check(r.rules, inner, ctx)) add(`${r.field}[${i}].${e.field}`, e.message);
          });
        }
        break;
      case "any_positive": {
        const list = Array.isArray(value) ? value : [];
        if (!list.some((e) => (num(at(e, r.of)) ?? 0) > 0)) {
          add(r.field.includes(".") ? r.field.slice(0, r.field.lastIndexOf(".")) : r.field, r.message);
        }
        break;
      }
    }
  }
  return out;
}
