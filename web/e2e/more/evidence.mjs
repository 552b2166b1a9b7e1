// Evidence (issue 28): detection triage, orthophotos on the map, machine track coverage and the
// detectors on the dashboard. As an approver: the triage queue's image chip decodes; one
// detection is marked a false positive with its keyboard shortcut, one is confirmed with a
// category, which links the report it went into (submitted, as the API says); the queue has two
// fewer. On the map an orthophoto is shown, its opacity set and a tile answers 200 PNG. A track's
// page shows the processed area, the coverage and the "not cleared" rule; the dashboard the
// detectors' table. An activity's page lists its track and orthophoto, which opens shown on the
// map; a hazard it covers lists it; the Reports page's machine_tracks table has the track.
// Each page fits a phone and passes axe. Screenshots
// triage.png, coverage.png.

export default async function ({ test, expect, login, expectFits, expectAccessible, SIZES, shots, join, env }) {
  // The fixture's evidence (crates/server/tests/ui.rs): orthophoto and track ids, detections stored.
  const evidence = JSON.parse(env.SAFEGROUND_EVIDENCE ?? "{}");
  const get = (page, path) => page.evaluate(async (p) => {
    const r = await fetch(p, { credentials: "same-origin" });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, path);

  /** Checks the page at every size (and saves its layout screenshots). */
  async function layout(page, name) {
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.waitForTimeout(300);
      await expectFits(page, `${name} (${size.name})`);
      await expectAccessible(page, `${name} (${size.name})`);
      await page.screenshot({ path: join(shots, "layout", `evidence-${name}-${size.name}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  const count = async (page) => Number(await page.getAttribute("#triage-count", "data-count"));
  const chipDecoded = (page) => page.waitForFunction(() => {
    const img = document.querySelector("#triage-chip");
    return img && img.complete && img.naturalWidth > 0 && img.dataset.detection === document.querySelector("main").dataset.detection;
  }, null, { timeout: 20000 });

  await test("a reviewer triages detections: a false positive, and a confirmed one into a submitted report", async (page) => {
    await login(page, "approver");
    await page.waitForSelector("header nav");
    expect((await page.textContent("header nav")).includes("Triage"), "no Triage link in the navigation");
    await page.click("header nav a[href='#/triage']");
    await page.waitForSelector("#triage-count");
    const before = await count(page);
    const api = await get(page, "/api/detections?verdict=pending&limit=1000");
    expect(api.status === 200, `detections answered ${api.status}`);
    expect(before === (api.body.total ?? api.body.items.length) && before >= 5, `queue shows ${before}, API ${api.body.items.length}`);
    if (evidence.detections) expect(before === evidence.detections - evidence.verdicts, `${before} pending of ${evidence.detections} stored, ${evidence.verdicts} judged`);
    expect((await page.textContent("#triage-rule")).includes("only once a person confirms it"), "the triage rule is missing");
    await chipDecoded(page);
    await page.waitForFunction(() => window.sgTriageMap && window.sgTriageMap.loaded(), null, { timeout: 30000 });
    // The first is the most confident pending detection, as the API orders them.
    const first = await page.getAttribute("main", "data-detection");
    expect(first === String(api.body.items[0].id), `first shown ${first}, API's first ${api.body.items[0].id}`);
    expect((await page.textContent("#triage-model-name")) === api.body.items[0].model, "model not shown");

    // F: false positive, with the shortcut.
    await page.locator("#triage-chip").click();
    await page.keyboard.press("f");
    await page.waitForSelector("#triage-result[data-verdict=false_positive]");
    await page.waitForFunction((n) => Number(document.querySelector("#triage-count")?.dataset.count) === n, before - 1);
    const fp = (await get(page, `/api/detections?verdict=false_positive&limit=1000`)).body.items.find((d) => String(d.id) === first);
    expect(fp && fp.verdict === "false_positive", `detection ${first} not a false positive in the API`);

    // Confirmed: the category is asked for; the report it went into is linked and submitted.
    await chipDecoded(page);
    const second = await page.getAttribute("main", "data-detection");
    expect(second !== first, "the queue did not move on");
    await page.click("#triage-actions button[data-verdict=confirmed]");
    await page.waitForSelector("#triage-confirm:not([hidden])");
    expect(await page.inputValue("#triage-quantity") === "1", "quantity does not default to 1");
    await page.click("#triage-confirm-submit");
    // Without a category the form refuses (the browser's or the server's message).
    expect(await page.locator("#triage-result[data-verdict=confirmed]").count() === 0, "confirmed without a category");
    const category = await page.$eval("#triage-category option[value]:not([value=''])", (o) => o.value);
    await page.selectOption("#triage-category", category);
    await page.click("#triage-confirm-submit");
    await page.waitForSelector("#triage-report");
    const report = await page.getAttribute("#triage-report", "data-report");
    expect((await page.textContent("#triage-notice")).includes("approved"), "the confirmed notice lacks the approval rule");
    const sent = await get(page, `/api/reports/${report}`);
    expect(sent.status === 200 && sent.body.status === "submitted", `report ${report}: ${sent.status} ${sent.body?.status}`);
    await page.waitForFunction((n) => Number(document.querySelector("#triage-count")?.dataset.count) === n, before - 2);
    const confirmed = (await get(page, `/api/detections?verdict=confirmed&limit=1000`)).body.items.find((d) => String(d.id) === second);
    expect(confirmed && String(confirmed.report) === report && confirmed.eo_find, `detection ${second}: ${JSON.stringify(confirmed)}`);
    await chipDecoded(page);
    await page.waitForFunction(() => window.sgTriageMap.loaded() && window.sgTriageMap.areTilesLoaded(), null, { timeout: 30000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, "triage.png") });
    await layout(page, "triage");
  });

  await test("the map shows an orthophoto under the hazards with its opacity, tiles answer PNG", async (page) => {
    await login(page, "approver");
    // The map is the landing page: navigating to it again would render it twice, and the test
    // could act on the first rendering while `sgMap` names the second.
    await page.waitForSelector("header nav");
    await page.waitForSelector("#ortho-panel input[type=checkbox]");
    await page.waitForFunction(() => window.sgMap && window.sgMap.loaded(), null, { timeout: 30000 });
    const { body: images } = await get(page, "/api/orthophotos");
    expect(images.length >= 1, "no orthophoto in the API");
    const o = images.find((x) => x.id === evidence.orthophoto) ?? images[0];
    const tile = page.waitForResponse((r) => /\/api\/orthophotos\/[^/]+\/tiles\/\d+\/\d+\/\d+$/.test(new URL(r.url()).pathname) && r.status() === 200, { timeout: 30000 });
    await page.click(`#ortho-panel li[data-orthophoto="${o.id}"] .ortho-zoom`);
    await page.check(`#ortho-panel input[data-orthophoto="${o.id}"]`);
    const resp = await tile;
    expect((resp.headers()["content-type"] ?? "").startsWith("image/png"), `tile content type ${resp.headers()["content-type"]}`);
    const bytes = await resp.body();
    expect(bytes.subarray(1, 4).toString() === "PNG", "tile is not a PNG");
    const layers = await page.evaluate(() => window.sgMap.getStyle().layers.map((l) => l.id));
    const at = layers.indexOf(`ortho-${o.id}`);
    expect(at >= 0 && at < layers.indexOf("hazards-fill"), `orthophoto layer not under the hazards: ${layers.join(", ")}`);
    const slider = page.locator(`#ortho-panel li[data-orthophoto="${o.id}"] input[type=range]`);
    await slider.fill("40");
    await slider.dispatchEvent("input");
    const opacity = await page.evaluate((id) => window.sgMap.getPaintProperty(`ortho-${id}`, "raster-opacity"), o.id);
    expect(Math.abs(opacity - 0.4) < 1e-9, `opacity ${opacity}`);
    // The released areas off, so that the picture shows the imagery under the hazards.
    await page.uncheck("input[data-layer=released]");
    await page.waitForFunction(() => window.sgMap.loaded() && window.sgMap.areTilesLoaded(), null, { timeout: 30000 });
    await expectAccessible(page, "map with orthophotos");
    await page.screenshot({ path: join(shots, "orthophoto-map.png") });
  });

  await test("a track's coverage page shows processed, coverage and the not-cleared rule; the dashboard its detectors", async (page) => {
    await login(page, "approver");
    await page.waitForSelector("header nav");
    const base = page.url().split("#")[0];
    await page.goto(base + "#/tracks");
    await page.waitForSelector("#tracks tbody tr");
    expect((await page.textContent("#not-cleared")).includes("Processed is not cleared (IMAS 09.50)"), "the rule is missing on the list");
    await layout(page, "tracks");
    const { body: tracks } = await get(page, "/api/tracks");
    const s = tracks.find((x) => x.id === evidence.track) ?? tracks[0];
    await page.click(`#tracks tr[data-track="${s.id}"] td:first-child a`);
    await page.waitForSelector("#track-figures");
    const fmt = (n, d = 0) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: d, minimumFractionDigits: d }).format(n);
    const processed = await page.textContent("#track-figures .processed td");
    expect(processed.includes(fmt(s.processed_m2)), `processed ${processed}, API ${s.processed_m2}`);
    // Beside it, what the approved clearance report says was cleared.
    const { body: detail } = await get(page, `/api/tracks/${s.id}`);
    const cleared = await page.textContent("#track-figures .cleared td");
    expect(detail.activity_cleared_m2 > 0 && cleared.includes(fmt(detail.activity_cleared_m2)), `cleared ${cleared}, API ${detail.activity_cleared_m2}`);
    const coverage = await page.textContent("#track-figures .coverage td");
    expect(coverage.includes(fmt(s.coverage_pct, 1)), `coverage ${coverage}, API ${s.coverage_pct}`);
    expect((await page.textContent("#not-cleared")).includes("only through the approved clearance report"), "the not-cleared rule is missing");
    const used = await page.textContent("#track-fixes .used td");
    expect(used.includes(fmt(s.fixes_used)), `fixes used ${used}, API ${s.fixes_used}`);
    await page.waitForFunction(() => window.sgTrackMap && window.sgTrackMap.loaded(), null, { timeout: 30000 });
    const drawn = await page.evaluate(() => window.sgTrackMap.queryRenderedFeatures({ layers: ["processed"] }).length);
    expect(drawn > 0, "the processed area is not drawn");
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, "coverage.png") });
    await layout(page, "coverage");

    await page.goto(base + "#/dashboard");
    await page.waitForSelector("#detector-metrics tbody tr");
    const { body: metrics } = await get(page, "/api/detections/metrics");
    const rows = await page.$$eval("#detector-metrics tbody tr", (trs) => trs.map((tr) => [tr.dataset.model, tr.dataset.class, tr.className]));
    expect(rows.length === metrics.rows.length, `${rows.length} detector rows, API ${metrics.rows.length}`);
    expect(rows.filter((r) => r[1] === "*").every((r) => r[2].includes("all-classes")), "the all-classes rows are not marked");
    expect(rows.some((r) => r[0] === "demo-yolo"), "no demo-yolo row");
  });

  await test("an activity's page lists its machine track and orthophoto; the orthophoto opens shown on the map", async (page) => {
    await login(page, "approver");
    await page.waitForSelector("header nav");
    const base = page.url().split("#")[0];
    const { body: tracks } = await get(page, "/api/tracks");
    const s = tracks.find((x) => x.id === evidence.track) ?? tracks[0];
    const { body: acts } = await get(page, "/api/items?kind=activity&limit=1000");
    const act = acts.items.find((a) => a.record.local_id === s.activity);
    expect(act, `no activity ${s.activity}`);
    await page.goto(base + `#/items/${act.item}`);
    await page.waitForSelector("#record-evidence");
    const fmt = (n, d = 0) => new Intl.NumberFormat("en-GB", { maximumFractionDigits: d, minimumFractionDigits: d }).format(n);
    const row = await page.textContent(`#record-tracks tr[data-track="${s.id}"]`);
    expect(row.includes(s.machine) && row.includes(fmt(s.processed_m2)) && row.includes(fmt(s.coverage_pct, 1)),
      `track row ${row}, API ${s.machine} ${s.processed_m2} ${s.coverage_pct}`);
    const { body: images } = await get(page, "/api/orthophotos");
    const o = images.find((x) => x.activity === s.activity);
    expect(o, `no orthophoto of ${s.activity} in the API`);
    expect(await page.isVisible(`#record-evidence li[data-orthophoto="${o.id}"] a`), "the activity's orthophoto is not listed");
    await layout(page, "activity");
    await page.click(`#record-evidence li[data-orthophoto="${o.id}"] a`);
    await page.waitForFunction((id) => window.sgMap && window.sgMap.loaded() && window.sgMap.getLayer(`ortho-${id}`), o.id, { timeout: 30000 });
    const layers = await page.evaluate(() => window.sgMap.getStyle().layers.map((l) => l.id));
    expect(layers.indexOf(`ortho-${o.id}`) < layers.indexOf("hazards-fill"), `orthophoto layer not under the hazards: ${layers.join(", ")}`);
    expect(await page.isChecked(`#ortho-panel input[data-orthophoto="${o.id}"]`), "the orthophoto's box is not ticked");
    const centre = await page.evaluate(() => window.sgMap.getCenter().toArray());
    expect(centre[0] >= o.bbox[0] && centre[0] <= o.bbox[2] && centre[1] >= o.bbox[1] && centre[1] <= o.bbox[3], `map centred at ${centre}, orthophoto ${o.bbox}`);
    // A hazard it covers lists it too.
    const { body: hz } = await get(page, `/api/hazards?q=${encodeURIComponent(o.hazards[0])}`);
    // Evidence names hazards by local id (the server stores the local id of an item id given).
    const hazard = hz.hazards.find((x) => x.local_id === o.hazards[0]);
    expect(hazard, `no hazard ${o.hazards[0]}: ${JSON.stringify(hz)}`);
    await page.goto(base + `#/hazards/${hazard.id}`);
    await page.waitForSelector(`#record-evidence li[data-orthophoto="${o.id}"] a`);
    // The programme report shows the track's processed area beside what the report cleared.
    await page.goto(base + "#/figures");
    await page.waitForSelector("#table-machine_tracks tbody tr");
    const report = await page.textContent("#table-machine_tracks");
    expect(report.includes(s.machine) && report.includes(s.activity) && report.includes("IMAS 09.50"), `report table: ${report}`);
  });
}
