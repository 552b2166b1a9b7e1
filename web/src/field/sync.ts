// Sends the outbox: each entry with `PUT /api/submissions/{uuid}` (multipart when it has files),
// three at a time. A network failure or a 5xx is retried with exponential backoff (1 s, 2 s,
// 4 s … at most 60 s) while the device is online; the server stores a uuid once, so an entry
// whose answer was lost is simply sent again. 200/201 moves it to the sent log; 422 keeps it with
// the server's per-field errors; 409 keeps it with the server's message; 401 stops the sync and
// keeps everything for after a new login.
import * as outbox from "./outbox";
import type { Entry } from "./outbox";

const PARALLEL = 3;
const MAX_DELAY_MS = 60000;
/** Tries of one entry in one sync before it waits for the next (about a minute of backoff). */
const MAX_TRIES = 7;

export interface Progress { sent: number; failed: number; left: number; loggedOut: boolean; running: boolean }

type Outcome = "sent" | "kept" | "logged-out";

let running: Promise<Progress> | null = null;
const listeners = new Set<(p: Progress) => void>();

/** Calls `fn` with the progress of every sync (until the returned function is called). */
export function onProgress(fn: (p: Progress) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function body(e: Entry): BodyInit {
  const json = JSON.stringify(e.submission);
  if (!e.files.length) return json;
  const form = new FormData();
  form.append("submission", new Blob([json], { type: "application/json" }), "submission.json");
  for (const f of e.files) form.append(f.part, new File([f.blob], f.name, { type: f.media_type }));
  return form;
}

async function problemOf(resp: Response): Promise<{ detail: string; errors: { field: string; message: string }[] }> {
  const p = await resp.json().catch(() => null) as { detail?: string; title?: string; errors?: { field: string; message: string }[] } | null;
  return { detail: p?.detail ?? p?.title ?? `${resp.status} ${resp.statusText}`, errors: p?.errors ?? [] };
}

async function sendOne(e: Entry, stop: () => boolean): Promise<Outcome> {
  for (let attempt = 0; ; attempt++) {
    let resp: Response | null = null;
    let failure = "";
    try {
      const files = e.files.length > 0;
      resp = await fetch(`/api/submissions/${e.uuid}`, {
        method: "PUT", credentials: "same-origin", body: body(e),
        headers: files ? {} : { "content-type": "application/json" },
      });
    } catch (err) {
      failure = String((err as Error)?.message ?? err);
    }
    e.attempts += 1;
    if (resp && (resp.status === 200 || resp.status === 201)) {
      const r = await resp.json() as { report: number };
      await outbox.markSent(e, r.report);
      return "sent";
    }
    // The entry stays as it was: the user logs in again and syncs.
    if (resp?.status === 401) return "logged-out";
    if (resp && resp.status < 500) {
      const p = await problemOf(resp);
      e.state = resp.status === 409 ? "conflict" : "rejected";
      e.error = p.detail;
      e.errors = p.errors;
      await outbox.save(e);
      return "kept";
    }
    e.error = resp ? (await problemOf(resp)).detail : failure;
    await outbox.save(e);
    if (attempt + 1 >= MAX_TRIES || !navigator.onLine || stop()) return "kept";
    await sleep(Math.min(MAX_DELAY_MS, 1000 * 2 ** attempt));
    if (!navigator.onLine || stop()) return "kept";
  }
}

async function runSync(): Promise<Progress> {
  const queue = (await outbox.list()).filter((e) => e.state === "waiting");
  const p: Progress = { sent: 0, failed: 0, left: queue.length, loggedOut: false, running: true };
  const tell = () => listeners.forEach((fn) => fn({ ...p }));
  tell();
  const worker = async () => {
    for (let e = queue.shift(); e && !p.loggedOut; e = queue.shift()) {
      const outcome = await sendOne(e, () => p.loggedOut);
      p.left -= 1;
      if (outcome === "sent") p.sent += 1;
      else if (outcome === "logged-out") p.loggedOut = true;
      else p.failed += 1;
      tell();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return p;
}

/** Sends every waiting entry (one sync at a time: a second call joins the running one). The
 *  last progress is told once the sync is over (`syncing()` false). */
export function sync(): Promise<Progress> {
  running ??= runSync().then((p) => {
    running = null;
    const done = { ...p, running: false };
    listeners.forEach((fn) => fn(done));
    return done;
  }, (e: unknown) => {
    running = null;
    throw e;
  });
  return running;
}

/** Whether a sync is running now. */
export const syncing = () => running !== null;

/** Puts a rejected or conflicting entry back in the queue (after the user fixed it). */
export async function retry(e: Entry): Promise<void> {
  await outbox.save({ ...e, state: "waiting", error: null, errors: [] });
}
