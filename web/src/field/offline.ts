// What the field app needs from the server to work with no connection: the form rules and
// vocabularies (`GET /api/forms`, kept with their version) and the signed-in user (`GET /api/me`),
// each refreshed whenever the server answers and read from the device when it does not.
import { api, ApiError, type Me } from "../api";
import * as db from "./db";
import type { Rule } from "./rules";

export type Vocab = Record<string, { code: string; label: string }[]>;

/** The answer of `GET /api/forms`. */
export interface Forms {
  version: string;
  rules: Record<string, Rule[]>;
  vocabularies: Vocab;
}

/** The form rules: the server's answer when it gives one (stored for later), else the stored one
 *  (null when the app never loaded them). A refused session (401) is thrown. */
export async function loadForms(): Promise<Forms | null> {
  try {
    const forms = await api<Forms>("/api/forms");
    await db.put("kv", forms, "forms").catch(() => undefined);
    return forms;
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 401) throw e;
    return (await db.get<Forms>("kv", "forms").catch(() => undefined)) ?? null;
  }
}

/** Keeps the signed-in user for the times the server cannot be reached. */
export function rememberMe(user: Me): Promise<void> {
  return db.put("kv", user, "me").catch(() => undefined);
}

/** The user last seen signed in on this device, if any. */
export async function cachedMe(): Promise<Me | null> {
  return (await db.get<Me>("kv", "me").catch(() => undefined)) ?? null;
}

/** Forgets the user on logout: the stored copy and the service worker's cached `/api/me`. */
export async function forgetMe(): Promise<void> {
  await db.del("kv", "me").catch(() => undefined);
  if ("caches" in window) {
    for (const name of await caches.keys()) await (await caches.open(name)).delete("/api/me");
  }
}
