// Field values as people read them: vocabulary labels instead of codes, lists as
// comma-separated labels, item ids as links named by the item's local id.
import { api } from "./api";
import { h } from "./dom";
import { num, t } from "./i18n";
import { fieldLabel, fieldVocabulary, label } from "./vocab";

const ITEM_ID = /^(HAZ|ACT|EO|ACC|VIC|RE|QA|VA|TEAM|ADM|ORG)-\d+$/;
const names = new Map<string, string>();

/** Whether `v` is an item id such as HAZ-000123. */
export function isItemId(v: unknown): v is string {
  return typeof v === "string" && ITEM_ID.test(v);
}

/** The page of an item. */
export function itemHref(id: string): string {
  if (id.startsWith("HAZ-")) return `#/hazards/${id}`;
  if (id.startsWith("VIC-")) return `#/victims/${id}`;
  return `#/items/${id}`;
}

/** JSON held as text in a list row (arrays and objects), parsed; anything else as it is. */
function parsed(v: unknown): unknown {
  if (typeof v === "string" && (v.startsWith("[") || v.startsWith("{"))) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  return v;
}

/** A list value as an array (arrays, and JSON arrays held as text). */
function asList(v: unknown): unknown[] | null {
  const p = parsed(v);
  return Array.isArray(p) ? p : null;
}

/** A nested value in words: a point as "lat, lon", other geometries by their type, counts by
 *  their total, any other object as its labelled fields. */
function showObject(kind: string, o: Record<string, unknown>): string {
  if (typeof o.type === "string" && Array.isArray(o.coordinates)) {
    const c = o.coordinates as unknown[];
    return o.type === "Point" && typeof c[0] === "number" && typeof c[1] === "number"
      ? `${(c[1]).toFixed(5)}, ${(c[0]).toFixed(5)}`
      : o.type;
  }
  if (Array.isArray(o.counts)) {
    return num((o.counts as { count?: unknown }[]).reduce((sum, c) => sum + (typeof c.count === "number" ? c.count : 0), 0));
  }
  return Object.entries(o)
    .filter(([k, v]) => k !== "geometry" && v !== null && v !== undefined && v !== false && v !== "")
    .map(([k, v]) => {
      const shown = showValue(kind, k, v).map((n) => (typeof n === "string" ? n : n.textContent ?? "")).join("");
      return k === "method" || k === "asset_type" ? shown : `${fieldLabel(k)}: ${shown}`;
    })
    .join(" · ");
}

function collectIds(v: unknown, out: Set<string>): void {
  if (isItemId(v)) out.add(v);
  else for (const x of asList(v) ?? []) collectIds(x, out);
}

/** Looks up, once each and in parallel, the local ids of the item ids among `values`. */
export async function resolveItems(values: unknown[]): Promise<void> {
  const ids = new Set<string>();
  for (const v of values) collectIds(v, ids);
  await Promise.all([...ids].filter((id) => !names.has(id)).map(async (id) => {
    try {
      const item = await api<{ record: Record<string, unknown> }>(`/api/items/${id}`);
      names.set(id, String(item.record.local_id ?? item.record.name ?? id));
    } catch {
      names.set(id, id);
    }
  }));
}

/** A link to an item, named by its local id once [`resolveItems`] has looked it up. */
export function itemLink(id: string): HTMLAnchorElement {
  return h("a", { href: itemHref(id), title: id }, names.get(id) ?? id);
}

/** An area in m² and hectares. */
export function area(m2: number): string {
  return `${num(m2)} m² (${num(m2 / 10_000, 2)} ha)`;
}

/** One value of field `field` of a record of `kind`, ready to append to a cell. */
export function showValue(kind: string, field: string, value: unknown): (Node | string)[] {
  if (value === null || value === undefined || value === "") return [];
  const v = parsed(value);
  if (Array.isArray(v)) return v.flatMap((x, i) => [i ? ", " : "", ...showValue(kind, field, x)]);
  if (typeof v === "object" && v !== null) return [showObject(kind, v as Record<string, unknown>)];
  if (isItemId(value)) return [itemLink(value)];
  const vocabulary = fieldVocabulary(kind, field);
  if (vocabulary) return [label(vocabulary, value)];
  if (typeof value === "number" && field.endsWith("_m2")) return [area(value)];
  if (typeof value === "boolean") return [t(value ? "f.yes" : "f.no")];
  return [String(value)];
}
