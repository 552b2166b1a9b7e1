// Benchmark of the offline field app over a throttled link (Chrome DevTools' "Fast 3G": 562.5 ms
// latency, 1.44 Mbit/s down, 675 kbit/s up, emulated with CDP): the app shell's bytes on the
// first load, the time to a usable form (navigation to #/field/form/eo until "Save to outbox"
// is enabled) cold and warm (from the service worker), and the sync of 50 reports each with one
// resized photo (~100 KB). Prints a markdown table (docs/benchmarks.md).
//
//   SAFEGROUND_URL=http://127.0.0.1:8080 SAFEGROUND_PASSWORD=... [SAFEGROUND_USER=halo-entry]
//   [SAFEGROUND_BENCH_REPORTS=50] node e2e/bench-field.mjs
import { chromium } from "playwright-core";

const base = process.env.SAFEGROUND_URL;
const password = process.env.SAFEGROUND_PASSWORD;
const user = process.env.SAFEGROUND_USER ?? "halo-entry";
const reports = Number(process.env.SAFEGROUND_BENCH_REPORTS ?? 50);
if (!base || !password) {
  console.error("set SAFEGROUND_URL and SAFEGROUND_PASSWORD");
  process.exit(2);
}
// DevTools' preset in bytes per second: 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up.
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: 1.44e6 / 8, uploadThroughput: 675e3 / 8 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});

/** A logged-in context (the login itself not throttled) and its page with a CDP session. */
async function session() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, deviceScaleFactor: 2 });
  const resp = await context.request.post(`${base}/api/login`, { data: { username: user, password } });
  if (!resp.ok()) throw new Error(`login: ${resp.status()}`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  return { context, page, cdp };
}

const throttle = (cdp) => cdp.send("Network.emulateNetworkConditions", FAST_3G);
const seconds = (ms) => (ms / 1000).toFixed(1);
const rows = [];

// 1. The app shell's bytes on the first load, and the first usable form cold.
{
  const { context, page, cdp } = await session();
  let bytes = 0;
  let requests = 0;
  cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; requests += 1; });
  await throttle(cdp);
  const start = Date.now();
  await page.goto(`${base}/#/field/form/eo`);
  await page.waitForSelector("#field-save:not([disabled])", { timeout: 120000 });
  const cold = Date.now() - start;
  await page.waitForLoadState("networkidle");
  rows.push(["App shell, first load (page requests)", `${(bytes / 1024).toFixed(0)} KB in ${requests} requests`]);
  rows.push(["First usable form, cold (no cache)", `${seconds(cold)} s`]);

  // 2. Warm: the service worker holds the shell (its precache downloads in the background
  //    first, not timed); the page is opened anew.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 300000 });
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state;
  });
  const precached = await page.evaluate(async () => {
    let total = 0;
    for (const name of await caches.keys()) {
      if (!name.startsWith("safeground-shell-")) continue;
      const cache = await caches.open(name);
      for (const req of await cache.keys()) total += (await (await cache.match(req)).arrayBuffer()).byteLength;
    }
    return total;
  });
  rows.push(["Service worker precache (downloaded once, in the background)", `${(precached / 1024).toFixed(0)} KB`]);
  await page.evaluate(() => { location.hash = "#/field/form/eo?warm=1"; });
  const warmStart = Date.now();
  await page.reload();
  await page.waitForSelector("#field-save:not([disabled])", { timeout: 120000 });
  rows.push(["First usable form, warm (shell from the service worker)", `${seconds(Date.now() - warmStart)} s`]);
  await context.close();
}

// 3. Sync of `reports` reports with one photo each as the app resizes them, from the outbox.
{
  const { context, page, cdp } = await session();
  await page.goto(`${base}/#/field/outbox`);
  await page.waitForSelector("#outbox-count");
  const tilejson = await (await context.request.get(`${base}/tiles/hazards.json`)).json();
  const [w, s, e, n] = tilejson.bounds;
  const center = [(w + e) / 2, (s + n) / 2];
  const forms = await (await context.request.get(`${base}/api/forms`)).json();
  const me = await (await context.request.get(`${base}/api/me`)).json();
  const made = await page.evaluate(async ({ reports, center, version, stamp, organisation }) => {
    // One photo as the app makes them (src/field/photos.ts): a busy 4:3 scene at 1024 × 768,
    // JPEG quality 0.6.
    const canvas = new OffscreenCanvas(1024, 768);
    const ctx = canvas.getContext("2d");
    ctx.scale(1024 / 1280, 768 / 960);
    const g = ctx.createLinearGradient(0, 0, 1280, 960);
    g.addColorStop(0, "#6b8e23"); g.addColorStop(1, "#8b5a2b");
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 1280, 960);
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 1800; i++) {
      ctx.fillStyle = `hsl(${Math.floor(rnd() * 90) + 30}, 40%, ${Math.floor(rnd() * 40) + 25}%)`;
      ctx.beginPath();
      ctx.arc(rnd() * 1280, rnd() * 960, rnd() * 14 + 2, 0, Math.PI * 2);
      ctx.fill();
    }
    const photo = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.6 });
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open("safeground-field");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const today = new Date().toISOString().slice(0, 10);
    const tx = db.transaction("outbox", "readwrite");
    for (let i = 0; i < reports; i++) {
      const local = `BENCH-${stamp}-${i}`;
      tx.objectStore("outbox").put({
        uuid: crypto.randomUUID(), created_at: new Date().toISOString(), state: "waiting", error: null, errors: [], attempts: 0, draft: null,
        files: [{ part: "photo-0", name: `${local}.jpg`, media_type: "image/jpeg", blob: photo }],
        submission: {
          form_version: version, accept_outside_programme_area: false,
          attachments: [{ part: "photo-0", entry: 0, name: `${local}.jpg` }],
          report: { title: `EO spot task ${local}`, organisation, source: "field app benchmark", date_of_information: today,
            entries: [{ record: { kind: "eo_find", local_id: local, category: "ap_mine", quantity: 1, found_date: today,
              location: { type: "Point", coordinates: center } } }] },
        },
      });
    }
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    return photo.size;
  }, { reports, center, version: forms.version, stamp: Date.now().toString(36), organisation: me.organisation });
  await page.reload();
  await page.waitForSelector(`#outbox-count[data-count="${reports}"]`);
  let uploaded = 0;
  cdp.on("Network.requestWillBeSent", (e) => { if (e.request.url.includes("/api/submissions/")) uploaded += 1; });
  await throttle(cdp);
  const start = Date.now();
  await page.click("#outbox-sync");
  await page.waitForSelector('#outbox-count[data-count="0"]', { timeout: 600000 }).catch(async () => {
    console.error(`not all sent: ${await page.textContent("#outbox-list")}`.slice(0, 2000));
    throw new Error("sync did not finish");
  });
  const took = Date.now() - start;
  rows.push([`Sync of ${reports} reports with one photo each (${(made / 1024).toFixed(0)} KB)`, `${seconds(took)} s (${uploaded} PUTs, ${(reports * made / 1048576).toFixed(1)} MB of photos)`]);
  await context.close();
}

await browser.close();
console.log(`Fast 3G (CDP: 562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up, as DevTools' preset), ${user}, ${base}\n`);
console.log("| Measure | Result |\n| --- | --- |");
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
