// IndexedDB: the device key pair, the token, the offline queue and a few cached answers.
// Stores: "kv" (key -> value), "queue" (offline records by [owner NIP, seq]: a browser shared by
// several employees keeps each one's records and chain apart), "failed" (refused uploads).

const NAME = "hadir";
const VERSION = 1;
let opening = null;

export function openDb() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: ["nip", "seq"] });
      if (!db.objectStoreNames.contains("failed")) db.createObjectStore("failed", { autoIncrement: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

// Run `work(stores)` in one transaction; resolves with its result once the transaction commits.
export async function transact(names, mode, work) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    const stores = Object.fromEntries([names].flat().map((n) => [n, tx.objectStore(n)]));
    let result;
    const request = work(stores);
    if (request && "onsuccess" in request) request.onsuccess = () => (result = request.result);
    else result = request;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const kv = {
  get: (key) => transact("kv", "readonly", (s) => s.kv.get(key)),
  set: (key, value) => transact("kv", "readwrite", (s) => void s.kv.put(value, key)),
  del: (key) => transact("kv", "readwrite", (s) => void s.kv.delete(key)),
};

// The queue of one employee (their login NIP), in seq order.
export const queue = {
  of: (nip) => transact("queue", "readonly", (s) => s.queue.getAll(IDBKeyRange.bound([nip, 0], [nip, Infinity]))),
  count: async (nip) => (await queue.of(nip)).length,
  remove: (nip, seq) => transact("queue", "readwrite", (s) => void s.queue.delete([nip, seq])),
};

export const failed = {
  all: () => transact("failed", "readonly", (s) => s.failed.getAll()),
  add: (entry) => transact("failed", "readwrite", (s) => void s.failed.add(entry)),
};
