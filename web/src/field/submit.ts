// From a filled form to the outbox: the entries checked with the server's rules on the device,
// then stored as the contract's Submission under a new uuid (or the uuid of the outbox entry
// being fixed) with the form version and the photos of the first record.
import * as drafts from "./drafts";
import type { Draft } from "./drafts";
import type { Forms } from "./offline";
import * as outbox from "./outbox";
import type { Submission } from "./outbox";
import { check, localToday } from "./rules";
import { keyOf } from "./widgets";

/** The findings of the form rules on the report's entries, keyed by field. */
export function validate(report: Submission["report"], forms: Forms): { key: string; message: string }[] {
  const ctx = { today: localToday(), date_of_information: report.date_of_information };
  return report.entries.flatMap((entry, i) => {
    const rules = forms.rules[String(entry.record.kind)] ?? [];
    return check(rules, entry.record, ctx).map((e) => ({ key: keyOf(i, e.field), message: e.message }));
  });
}

/** Stores the report in the outbox; the draft stays (hidden from the drafts) so the entry can be
 *  reopened if the server refuses it, and goes when the server stores it. Storage is asked to be
 *  persistent when the first entry is saved. Rejects with a `QuotaExceededError` when the device
 *  is full (nothing saved before is lost). */
export async function toOutbox(draft: Draft, forms: Forms, report: Submission["report"]): Promise<{ uuid: string; persisted: boolean | null }> {
  const uuid = draft.outbox ?? crypto.randomUUID();
  const submission: Submission = {
    report, form_version: forms.version, accept_outside_programme_area: false,
    attachments: draft.photos.map((p, i) => ({ part: `photo-${i}`, entry: 0, name: p.name })),
  };
  const files = draft.photos.map((p, i) => ({ part: `photo-${i}`, name: p.name, media_type: p.blob.type || "image/jpeg", blob: p.blob }));
  const first = (await outbox.persisted()) === null;
  await outbox.save({ uuid, created_at: new Date().toISOString(), submission, files, state: "waiting", error: null, errors: [], attempts: 0, draft: draft.id });
  draft.outbox = uuid;
  await drafts.save(draft);
  const persisted = first ? await outbox.persist().catch(() => null) : await outbox.persisted();
  return { uuid, persisted };
}
