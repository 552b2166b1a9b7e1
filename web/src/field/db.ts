// The field app's store on the device (IndexedDB): everything the app keeps offline lives here,
// so it survives reloads, a service-worker update and days without a connection.
//   kv      cached answers (`forms`, `me`) and small settings, by key
//   drafts  forms being filled, by id
//   outbox  entries waiting to be sent, by uuid
//   sent    a short log of what the server stored, by uuid
//   tiles   offline map packs (PMTiles blobs), by id

export type Store = "kv" | "drafts" | "outbox" | "sent" | "tiles";

const NAME = "safeground-field";
const VERSION = 1;
let opened: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore("kv");
      db.createObjectStore("drafts", { keyPath: "id" });
      db.createObjectStore("outbox", { keyPath: "uuid" });
      db.createObjectStore("sent", { keyPath: "uuid" });
      db.createObjectStore("tiles", { keyPath: "id" });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => { opened = null; reject(req.error); };
  });
  return opened;
}

/** Runs one request in its own transaction; resolves once the transaction has committed (so a
 *  write that fills the device rejects here with a `QuotaExceededError`). */
async function run<T>(store: Store, mode: IDBTransactionMode, make: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const req = make(tx.objectStore(store));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? req.error);
    tx.onabort = () => reject(tx.error ?? req.error ?? new DOMException("aborted", "AbortError"));
  });
}

export const get = <T>(store: Store, key: IDBValidKey) => run<T | undefined>(store, "readonly", (s) => s.get(key));
export const all = <T>(store: Store) => run<T[]>(store, "readonly", (s) => s.getAll());
export const put = (store: Store, value: unknown, key?: IDBValidKey) => run(store, "readwrite", (s) => s.put(value, key)).then(() => undefined);
export const del = (store: Store, key: IDBValidKey) => run(store, "readwrite", (s) => s.delete(key)).then(() => undefined);

/** Whether `e` says the device is full. */
export function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === "QuotaExceededError" || e.code === 22);
}
