// Forms being filled, kept on the device as they are typed so nothing is lost when the app is
// closed, the phone sleeps or the battery dies; listed on the field page to resume.
import * as db from "./db";
import type { Fix } from "./geo";

/** A photo of the entry, already resized. */
export interface Photo { name: string; blob: Blob }

export interface Draft {
  id: string;
  /** The form: a key of forms.ts's SPECS ("eo", "accident", "re", "va", "qa") or "land". */
  form: string;
  /** What the list shows (the local id). */
  label: string;
  updated_at: string;
  /** Each input's value by its key (`scope.name`). */
  values: Record<string, string | boolean>;
  /** GPS fixes of point fields by input key, used while the field still shows the fix. */
  fixes: Record<string, Fix>;
  /** Victims on an accident form. */
  victims: number;
  photos: Photo[];
  /** The perimeter walked for a land release ([lon, lat] vertices and their accuracies). */
  perimeter: { vertices: [number, number][]; accuracy: number[]; closed: boolean };
  /** The outbox entry it fixes (reopened from the outbox), whose uuid it keeps. */
  outbox: string | null;
}

export function newDraft(form: string): Draft {
  return {
    id: crypto.randomUUID(), form, label: "", updated_at: new Date().toISOString(), values: {}, fixes: {},
    victims: form === "accident" ? 1 : 0, photos: [], perimeter: { vertices: [], accuracy: [], closed: false }, outbox: null,
  };
}

export const load = (id: string) => db.get<Draft>("drafts", id);
export const list = async () => (await db.all<Draft>("drafts")).sort((a, b) => b.updated_at.localeCompare(a.updated_at));
export const remove = (id: string) => db.del("drafts", id);
export function save(d: Draft): Promise<void> {
  d.updated_at = new Date().toISOString();
  return db.put("drafts", d);
}
