// The outbox: entries saved on the device and not yet stored by the server, each with the
// client's uuid (the server stores a uuid once, so a resend never duplicates), its files, its
// state and the server's last answer; the log of sent entries; and the export file of unsent
// entries (read by the app on another device and by `safeground submit`).
import * as db from "./db";
import type { FieldError } from "./rules";

/** The contract's Submission (the body of `PUT /api/submissions/{uuid}`). */
export interface Submission {
  report: { title: string; organisation: string; source: string; date_of_information: string; entries: { record: Record<string, unknown>; personal_data?: Record<string, unknown> | null }[] };
  form_version: string;
  accept_outside_programme_area: boolean;
  attachments: { part: string; entry: number; name: string; caption?: string }[];
}

/** A file of an entry, named by its part in the multipart body. */
export interface EntryFile { part: string; name: string; media_type: string; blob: Blob }

/** waiting: to send; rejected: the server found errors to fix (422 and other refusals);
 *  conflict: the uuid was stored with other content (409). */
export type State = "waiting" | "rejected" | "conflict";

export interface Entry {
  uuid: string;
  created_at: string;
  submission: Submission;
  files: EntryFile[];
  state: State;
  /** The server's (or the network's) last word on it. */
  error: string | null;
  /** Per-field findings of a 422, as the server names them. */
  errors: FieldError[];
  attempts: number;
  /** The draft it was saved from, to reopen it for a fix (absent for an imported entry). */
  draft: string | null;
}

/** What the server stored. */
export interface Sent { uuid: string; title: string; report: number; sent_at: string }

export const get = (uuid: string) => db.get<Entry>("outbox", uuid);
export const list = async () => (await db.all<Entry>("outbox")).sort((a, b) => a.created_at.localeCompare(b.created_at));
export const save = (e: Entry) => db.put("outbox", e);
export const remove = (uuid: string) => db.del("outbox", uuid);
export const sentLog = async () => (await db.all<Sent>("sent")).sort((a, b) => b.sent_at.localeCompare(a.sent_at));

/** Moves a stored entry to the sent log (which keeps the last 50) and drops its draft. */
export async function markSent(e: Entry, report: number): Promise<void> {
  await db.put("sent", { uuid: e.uuid, title: e.submission.report.title, report, sent_at: new Date().toISOString() } satisfies Sent);
  await db.del("outbox", e.uuid);
  if (e.draft) await db.del("drafts", e.draft);
  const log = await sentLog();
  for (const old of log.slice(50)) await db.del("sent", old.uuid);
}

/** Asks the browser to keep the app's data when the device runs short of space: true when
 *  granted (the answer is remembered to show it). */
export async function persist(): Promise<boolean | null> {
  if (!navigator.storage?.persist) return null;
  const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  await db.put("kv", granted, "persisted").catch(() => undefined);
  return granted;
}

/** Whether storage was made persistent (null when never asked). */
export async function persisted(): Promise<boolean | null> {
  return (await db.get<boolean>("kv", "persisted").catch(() => undefined)) ?? null;
}

function base64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function unbase64(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** The export file of the unsent entries (format "safeground-outbox", version 1). */
export async function exportFile(): Promise<Blob> {
  const entries = await list();
  const out = [];
  for (const e of entries) {
    const files = [];
    for (const f of e.files) files.push({ part: f.part, name: f.name, media_type: f.media_type, data_base64: base64(new Uint8Array(await f.blob.arrayBuffer())) });
    out.push({ uuid: e.uuid, created_at: e.created_at, submission: e.submission, files });
  }
  const doc = { format: "safeground-outbox", version: 1, exported_at: new Date().toISOString(), entries: out };
  return new Blob([JSON.stringify(doc)], { type: "application/json" });
}

interface ExportedEntry { uuid: string; created_at?: string; submission: Submission; files?: { part: string; name: string; media_type: string; data_base64: string }[] }

/** Adds the entries of another device's export file; those whose uuid is already in the outbox
 *  or the sent log are skipped. Returns how many were added and skipped. */
export async function importFile(text: string): Promise<{ added: number; skipped: number }> {
  const doc = JSON.parse(text) as { format?: string; version?: number; entries?: ExportedEntry[] };
  if (doc.format !== "safeground-outbox" || doc.version !== 1 || !Array.isArray(doc.entries)) {
    throw new Error("not a safeground-outbox file (version 1)");
  }
  const known = new Set([...(await list()).map((e) => e.uuid), ...(await sentLog()).map((s) => s.uuid)]);
  let added = 0;
  let skipped = 0;
  for (const x of doc.entries) {
    if (!x.uuid || !x.submission || known.has(x.uuid)) {
      skipped++;
      continue;
    }
    known.add(x.uuid);
    const files = (x.files ?? []).map((f) => ({ part: f.part, name: f.name, media_type: f.media_type, blob: new Blob([unbase64(f.data_base64)], { type: f.media_type }) }));
    await save({ uuid: x.uuid, created_at: x.created_at ?? new Date().toISOString(), submission: x.submission, files, state: "waiting", error: null, errors: [], attempts: 0, draft: null });
    added++;
  }
  return { added, skipped };
}
