// The offline field app (issue 27) in a phone-sized Chromium with the GPS emulated: installed
// (the service worker controls the page), reloaded with no connection, an EO form filled with a
// GPS position and a photo and saved to the outbox, a second one refused by the device's rules
// (quantity 0) and fixed; back online the sync stores each once. Then a sync cut half-way (the
// answers of the later PUTs lost after the server stored them) resumes without duplicates; an
// expired session keeps the entries and asks for a login; the offline map reads its downloaded
// area with no connection. Screenshots field-form.png, field-outbox.png, field-map.png.
import { readFile } from "node:fs/promises";
import { deflateSync } from "node:zlib";

/** A PNG of `w`×`h` (a colour gradient), made here: no file needed. */
function png(w, h) {
  const table = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
  const crc = (b) => { let c = 0xffffffff; for (const x of b) c = table[(c ^ x) & 255] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4); sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const i = y * (w * 3 + 1) + 1 + x * 3;
      raw[i] = (x * 255) / w; raw[i + 1] = (y * 255) / h; raw[i + 2] = ((x ^ y) & 0xff);
    }
  }
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

export default async function ({ test, expect, login, expectFits, expectAccessible, base, shots, join, env }) {
  const release = JSON.parse(env.SAFEGROUND_RELEASE ?? "{}");
  // Inside a hazard of the fixture (so inside the programme area), else Phnom Penh.
  const here = { latitude: release.lat ?? 11.55, longitude: release.lon ?? 104.92, accuracy: 8 };
  const photo = { name: "find.png", mimeType: "image/png", buffer: png(1600, 1200) };
  // The title of the first report synced, which carries the photo (for the reviewer's test).
  let photoTitle = null;

  await test("field app: installed, offline forms with GPS and photo, outbox, sync once each, cut sync resumes, expired login, offline map", async (page) => {
    const context = await page.context().browser().newContext({
      viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
      permissions: ["geolocation"], geolocation: here, serviceWorkers: "allow",
    });
    const p = await context.newPage();
    const errors = [];
    p.on("pageerror", (e) => errors.push(String(e)));
    p.on("dialog", (d) => d.accept());
    const puts = [];
    p.on("response", (r) => { if (r.url().includes("/api/submissions/")) puts.push(r.status()); });
    const stamp = Date.now().toString(36).toUpperCase();
    const reportTitles = async () => {
      const titles = [];
      for (let after = 0; ;) {
        const r = await (await p.request.get(`${base}/api/reports?limit=1000${after ? `&after=${after}` : ""}`)).json();
        titles.push(...r.reports.map((x) => x.title));
        if (!r.next_after) return titles;
        after = r.next_after;
      }
    };
    const times = (titles, t) => titles.filter((x) => x === t).length;
    /** Fills and saves an EO form (the form page open), with local id `id`; returns its title. */
    const saveEo = async (id, { gps = false, photos = false } = {}) => {
      await p.waitForSelector("#field-save:not([disabled])");
      await p.fill('input[data-key="0.local_id"]', id);
      await p.fill('input[data-key="0.quantity"]', "1");
      if (gps) {
        await p.click('.gps-button[data-gps-for="0.location"]');
        await p.waitForFunction(() => document.querySelector('[data-fix-for="0.location"]')?.textContent.includes("±8"));
      } else {
        await p.fill('input[data-key="0.location"]', `${here.latitude} ${here.longitude}`);
      }
      if (photos) {
        await p.setInputFiles("#field-photos", photo);
        await p.waitForSelector("#field-thumbs img");
      }
      await p.click("#field-save");
      await p.waitForSelector("#field-saved");
      return `EO spot task ${id}`;
    };
    const outboxCount = async (n) => {
      await p.goto(base + "/#/field/outbox");
      await p.waitForSelector(`#outbox-count[data-count="${n}"]`, { timeout: 60000 });
    };

    try {
      // Install: log in, open the field section; the service worker takes control.
      await login(p, "halo-entry");
      await p.waitForSelector("header nav");
      expect((await p.textContent("header nav")).includes("Field"), "no Field link for a writer");
      await p.goto(base + "/#/field");
      await p.waitForSelector("#field-forms-version");
      await expectFits(p, "field page");
      await expectAccessible(p, "field page");
      await p.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
      const manifest = await p.request.get(base + "/manifest.webmanifest");
      expect(manifest.ok() && (await manifest.json()).start_url === "/#/field", `manifest: ${manifest.status()}`);

      // Offline: the app shell comes from the service worker, the forms from the device.
      await context.setOffline(true);
      await p.reload();
      await p.waitForSelector("#field-choices");
      expect(await p.evaluate(() => fetch("/api/config").then(() => "online", () => "offline")) === "offline", "the page still reaches the server");
      await p.click('#field-choices [data-form="eo"]');
      const first = await saveEo(`FLD-${stamp}-1`, { gps: true, photos: true });
      // The entry in the outbox: the photo resized to a JPEG of 1024 px on its longest side,
      // the GPS fix as a GeoJSON point, the form version.
      const stored = await p.evaluate(() => new Promise((resolve, reject) => {
        const req = indexedDB.open("safeground-field");
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction("outbox").objectStore("outbox").getAll();
          all.onsuccess = async () => {
            const e = all.result[0];
            const bitmap = await createImageBitmap(e.files[0].blob);
            resolve({ type: e.files[0].blob.type, w: bitmap.width, h: bitmap.height, point: e.submission.report.entries[0].record.location, version: e.submission.form_version, attachments: e.submission.attachments });
          };
        };
      }));
      expect(stored.type === "image/jpeg" && stored.w === 1024 && stored.h === 768, `photo stored as ${JSON.stringify(stored)}`);
      expect(stored.point?.type === "Point" && Math.abs(stored.point.coordinates[1] - here.latitude) < 1e-6, `location ${JSON.stringify(stored.point)}`);
      expect(/^[0-9a-f]{16}$/.test(stored.version) && stored.attachments[0]?.entry === 0, `submission ${JSON.stringify(stored)}`);

      // A second form: quantity 0 is refused on the device, offline, beside the field; fixed, saved.
      await p.click("#field-new");
      await p.waitForSelector("#field-save:not([disabled])");
      const secondId = `FLD-${stamp}-2`;
      await p.fill('input[data-key="0.local_id"]', secondId);
      await p.fill('input[data-key="0.quantity"]', "0");
      await p.click("#field-save");
      await p.waitForSelector('[data-error-for="0.quantity"]:not(:empty)');
      await p.screenshot({ path: join(shots, "field-form.png"), fullPage: true });
      await expectFits(p, "field form");
      await expectAccessible(p, "field form");
      // The draft is kept on the device: reloaded offline, the form comes back as it was, and
      // the field page lists it to resume.
      await p.waitForFunction(() => document.querySelector("#draft-status")?.textContent.length > 0);
      const draftUrl = p.url();
      await p.reload();
      await p.waitForSelector("#field-save:not([disabled])");
      expect(await p.inputValue('input[data-key="0.local_id"]') === secondId && await p.inputValue('input[data-key="0.quantity"]') === "0",
        "the draft was not kept");
      await p.goto(base + "/#/field");
      await p.waitForSelector(`#field-drafts a:has-text("${secondId}")`);
      await p.goto(draftUrl);
      await p.waitForSelector('input[data-key="0.quantity"]');
      expect(await p.locator("#field-saved").count() === 0, "saved with quantity 0");
      const second = await saveEo(secondId);
      await outboxCount(2);
      await p.screenshot({ path: join(shots, "field-outbox.png"), fullPage: true });
      await expectFits(p, "outbox");
      await expectAccessible(p, "outbox");
      // Export of the unsent entries (the contract's file, photos in base64); imported back,
      // both are skipped as already here.
      const [download] = await Promise.all([p.waitForEvent("download"), p.click("#outbox-export")]);
      const exported = JSON.parse(await readFile(await download.path(), "utf8"));
      expect(exported.format === "safeground-outbox" && exported.version === 1 && exported.entries.length === 2
        && exported.entries.some((e) => e.files[0]?.media_type === "image/jpeg" && e.files[0].data_base64.length > 1000), `export: ${JSON.stringify(exported).slice(0, 300)}`);
      await p.setInputFiles("#outbox-import-file", { name: "outbox.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(exported)) });
      await p.waitForFunction(() => document.querySelector("#outbox-notice")?.textContent.includes("(2 already here"));

      // Online: the sync (started by the `online` event or the button) stores each once.
      await context.setOffline(false);
      await p.evaluate(() => document.querySelector("#outbox-sync")?.click());
      await p.waitForSelector('#outbox-count[data-count="0"]', { timeout: 60000 });
      expect(puts.filter((s) => s === 201).length === 2, `PUT answers ${puts}`);
      let titles = await reportTitles();
      expect(times(titles, first) === 1 && times(titles, second) === 1, `stored ${times(titles, first)}× and ${times(titles, second)}×`);
      photoTitle = first;
      expect(await p.locator("#outbox-sent li").count() >= 2, "no sent log");

      // Three more offline; the sync is cut after the first answer: the server stores the
      // others but their answers are lost. Synced again, each is stored exactly once.
      await context.setOffline(true);
      const more = [];
      for (let i = 3; i <= 5; i++) {
        await p.goto(base + `/#/field/form/eo?new=${i}`);
        more.push(await saveEo(`FLD-${stamp}-${i}`, { photos: i === 3 }));
      }
      await outboxCount(3);
      let answered = 0;
      let lost = 0;
      await context.route("**/api/submissions/*", async (route) => {
        if (answered++ === 0) return route.continue();
        await route.fetch().catch(() => null);
        lost++;
        return route.abort("connectionreset");
      });
      puts.length = 0;
      await context.setOffline(false);
      await p.evaluate(() => document.querySelector("#outbox-sync")?.click());
      await p.waitForFunction(() => document.querySelector("#outbox-progress")?.textContent.length > 0);
      await p.waitForTimeout(1500);
      expect(lost >= 1, `the network was not cut (${answered} requests)`);
      await context.unroute("**/api/submissions/*");
      await p.waitForSelector('#outbox-count[data-count="0"]', { timeout: 90000 });
      titles = await reportTitles();
      for (const t of more) expect(times(titles, t) === 1, `${t} stored ${times(titles, t)}×`);
      expect(puts.includes(200), `no retry was answered "already stored" (200): ${puts}`);

      // A report only the server can refuse (a PMN-2, an AP mine in the ordnance catalogue, filed
      // under another category): its finding is shown in the outbox; "Edit" reopens the form with
      // the data and the finding; fixed, it is sent and stored once.
      await context.setOffline(true);
      await p.goto(base + "/#/field/form/eo?new=7");
      await p.waitForSelector("#field-save:not([disabled])");
      await p.fill('input[data-key="0.model"]', "PMN-2");
      const other = await p.$$eval('select[data-key="0.category"] option', (os) => os.map((o) => o.value).find((v) => v && v !== "ap_mine"));
      await p.selectOption('select[data-key="0.category"]', other);
      const refusedId = `FLD-${stamp}-7`;
      const refused = await saveEo(refusedId);
      await outboxCount(1);
      await context.setOffline(false);
      await p.evaluate(() => document.querySelector("#outbox-sync")?.click());
      await p.waitForSelector('.outbox-entry[data-state="rejected"] .outbox-errors li', { timeout: 60000 });
      const finding = await p.textContent(".outbox-errors");
      expect(finding.includes("entries[0].record.category"), `outbox finding: ${finding}`);
      await p.click(".outbox-edit");
      await p.waitForSelector('[data-error-for="0.category"]:not(:empty)');
      expect(await p.inputValue('input[data-key="0.local_id"]') === refusedId, "the form did not reopen with the data");
      await p.selectOption('select[data-key="0.category"]', "ap_mine");
      await p.click("#field-save");
      await p.waitForSelector("#field-saved");
      await outboxCount(1);
      await p.click("#outbox-sync");
      await p.waitForSelector('#outbox-count[data-count="0"]', { timeout: 60000 });
      expect(times(await reportTitles(), refused) === 1, `${refused} not stored once`);

      // A land release walked around its perimeter offline (four GPS fixes on a ~16 m square
      // inside the fixture's hazard): vertices and an approximate area shown; stored once.
      await context.setOffline(true);
      await p.goto(base + "/#/field/form/land?new=8");
      await p.waitForSelector("#field-save:not([disabled])");
      const landId = `LR-${stamp}`;
      await p.fill('input[data-key="0.local_id"]', landId);
      if (release.hazard) await p.fill('input[data-key="0.hazard"]', release.hazard);
      await p.click("#perimeter-start");
      const d = 0.00015;
      for (const [dy, dx] of [[0, 0], [d, 0], [d, d], [0, d]]) {
        await context.setGeolocation({ ...here, latitude: here.latitude + dy, longitude: here.longitude + dx });
        const n = await p.locator("#perimeter-outline circle").count();
        await p.click("#perimeter-add");
        await p.waitForFunction((k) => document.querySelectorAll("#perimeter-outline circle").length === k, n + 1);
      }
      await p.click("#perimeter-finish");
      const walked = await p.textContent("#perimeter-info");
      expect(walked.includes("vertices: 4") && /approximate area ≈ 2[0-9]{2} m²/.test(walked), `perimeter: ${walked}`);
      await p.click("#field-save");
      await p.waitForSelector("#field-saved");
      await context.setGeolocation(here);
      await outboxCount(1);
      await context.setOffline(false);
      await p.evaluate(() => document.querySelector("#outbox-sync")?.click());
      await p.waitForSelector('#outbox-count[data-count="0"]', { timeout: 60000 }).catch(async (e) => {
        throw new Error(`land release not stored: ${await p.textContent("#outbox-list")} (${e})`);
      });
      const landTitles = (await reportTitles()).filter((t) => t.includes(landId));
      expect(landTitles.length === 1, `land release stored ${landTitles.length}×`);

      // An expired session: the sync says to log in again and keeps the entry.
      await context.setOffline(true);
      await p.goto(base + "/#/field/form/eo?new=6");
      const late = await saveEo(`FLD-${stamp}-6`);
      await outboxCount(1);
      await context.clearCookies();
      await context.setOffline(false);
      await p.evaluate(() => document.querySelector("#outbox-sync")?.click());
      await p.waitForSelector("#outbox-login:not([hidden])", { timeout: 60000 });
      const said = await p.textContent("#outbox-login");
      expect(said.includes("Log in again") && said.includes("1 entries are kept"), `401 message: ${said}`);
      expect(await p.getAttribute("#outbox-count", "data-count") === "1", "the entry was not kept");
      await p.click("#outbox-login-link");
      await p.waitForSelector("form.login");
      await p.fill("input[name=username]", "halo-entry");
      await p.fill("input[name=password]", env.SAFEGROUND_PASSWORD);
      await p.click("form.login button[type=submit]");
      await p.waitForSelector("#outbox-sync:not([disabled])");
      await p.click("#outbox-sync");
      await p.waitForSelector('#outbox-count[data-count="0"]', { timeout: 60000 });
      expect(times(await reportTitles(), late) === 1, "the entry kept through the login was not stored once");

      // The offline map: download the area around the position, then read it with no connection.
      await p.goto(base + "/#/field/map");
      await p.waitForFunction(() => window.sgFieldMap && window.sgFieldMap.loaded(), null, { timeout: 30000 });
      await p.evaluate(([lon, lat]) => window.sgFieldMap.jumpTo({ center: [lon, lat], zoom: 14 }), [here.longitude, here.latitude]);
      await expectFits(p, "offline map");
      await expectAccessible(p, "offline map");
      await p.click("#map-download");
      await p.waitForFunction(() => document.querySelector("#map-pack-info")?.textContent.includes("MB"), null, { timeout: 60000 });
      await context.setOffline(true);
      const tiles = [];
      p.on("request", (r) => { if (r.url().includes("/tiles/")) tiles.push(r.url()); });
      await p.reload();
      await p.waitForFunction(() => window.sgFieldMap && window.sgFieldMap.loaded() && window.sgFieldMap.areTilesLoaded(), null, { timeout: 30000 });
      await p.evaluate(([lon, lat]) => window.sgFieldMap.jumpTo({ center: [lon, lat], zoom: 14 }), [here.longitude, here.latitude]);
      await p.waitForFunction(() => window.sgFieldMap.loaded() && window.sgFieldMap.areTilesLoaded());
      await p.waitForFunction(() => document.querySelector("#map-gps")?.textContent.includes("±8"));
      const drawn = await p.evaluate(() => window.sgFieldMap.queryRenderedFeatures({ layers: ["hazards-fill"] }).length);
      expect(drawn > 0, "no hazard drawn from the offline area");
      expect(tiles.length === 0, `tiles fetched offline: ${tiles.slice(0, 3)}`);
      await p.waitForFunction(() => window.sgFieldMap.queryRenderedFeatures({ layers: ["me"] }).length === 1);
      await p.screenshot({ path: join(shots, "field-map.png"), fullPage: true });
      if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    } catch (e) {
      await p.screenshot({ path: join(shots, "failed-field-offline.png"), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await context.close();
    }
  });

  await test("field app: a reviewer sees the photo sent from the field beside its entry", async (page) => {
    expect(photoTitle, "the field test stored no report with a photo");
    await login(page, "reviewer");
    await page.waitForSelector('a[href="#/review"]');
    let id = null;
    for (let after = 0; id === null;) {
      const r = await (await page.request.get(`${base}/api/reports?limit=1000${after ? `&after=${after}` : ""}`)).json();
      id = r.reports.find((x) => x.title === photoTitle)?.id ?? null;
      if (!r.next_after) break;
      after = r.next_after;
    }
    expect(id !== null, `no report titled ${photoTitle}`);
    await page.goto(`${base}/#/review/${id}`);
    await page.waitForFunction(() => {
      const img = document.querySelector(".attachment-list img");
      return img && img.complete && img.naturalWidth === 1024;
    }, null, { timeout: 15000 });
    const caption = await page.textContent(".attachment-list .caption");
    expect(/\.jpg · \d+ KB/.test(caption), `caption: ${caption}`);
    await expectAccessible(page, "review with a field photo");
    await page.screenshot({ path: join(shots, "field-review-photo.png"), fullPage: true });
  });

  await test("field app: on a full device an entry is refused with what to do, and what was saved stays", async (page) => {
    const context = await page.context().browser().newContext({
      viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, serviceWorkers: "allow",
    });
    const p = await context.newPage();
    const stamp = Date.now().toString(36).toUpperCase();
    const fill = async (id) => {
      await p.waitForSelector("#field-save:not([disabled])");
      await p.fill('input[data-key="0.local_id"]', id);
      await p.fill('input[data-key="0.quantity"]', "1");
    };
    try {
      await login(p, "halo-entry");
      await p.waitForSelector("header nav");
      // Offline from here, so that no sync empties the outbox before it is counted.
      await p.goto(base + "/#/field");
      await p.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
      await p.goto(base + "/#/field/form/eo?new=full-0");
      await p.waitForSelector("#field-save:not([disabled])");
      await context.setOffline(true);
      await p.goto(base + "/#/field/form/eo?new=full-1");
      await fill(`FULL-${stamp}-1`);
      await p.click("#field-save");
      await p.waitForSelector("#field-saved");
      await p.goto(base + "/#/field/form/eo?new=full-2");
      await fill(`FULL-${stamp}-2`);
      // The device fills up: every write to the device's database is refused as a full disk
      // refuses it (Chromium's quota override does not reach IndexedDB's small writes).
      await p.evaluate(() => {
        const proto = IDBObjectStore.prototype;
        window.sgRealWrites = [proto.put, proto.add];
        proto.put = proto.add = () => { throw new DOMException("the device is full", "QuotaExceededError"); };
      });
      await p.click("#field-save");
      await p.waitForFunction(() => document.querySelector(".form-message.error")?.textContent.includes("This device is full"));
      expect(await p.locator("#field-saved").count() === 0, "saved on a full device");
      expect(await p.inputValue('input[data-key="0.local_id"]') === `FULL-${stamp}-2`, "the form lost what was typed");
      // Space freed: what was saved before is all there, and the entry on screen saves.
      await p.evaluate(() => { [IDBObjectStore.prototype.put, IDBObjectStore.prototype.add] = window.sgRealWrites; });
      await p.click("#field-save");
      await p.waitForSelector("#field-saved");
      await p.goto(base + "/#/field/outbox");
      await p.waitForSelector('#outbox-count[data-count="2"]');
    } catch (e) {
      await p.screenshot({ path: join(shots, "failed-field-full.png"), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await context.close();
    }
  });
}
