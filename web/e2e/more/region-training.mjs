// The regional dashboard's training section on the hub: a row per country (its training
// summary's date, or "none received") and the region's, participants by year × competency ×
// sex × age band with the server's suppression ("<5", "x") as the API gives them, certificates
// issued and valid; the same in Khmer (headings in the script, no codes); accessible and fitting
// a phone. Needs at least one node's training summary in the hub fixture.

export default async function ({ test, expect, login, expectFits, expectAccessible, SIZES, shots, join, env }) {
  const hub = env.SAFEGROUND_HUB_URL;
  await test("the regional dashboard shows each country's training figures as the hub computed them, suppressed", async (page) => {
    await login(page, "viewer", undefined, hub);
    await page.waitForSelector("header nav");
    await page.goto(hub + "/#/region");
    await page.waitForSelector("#region-training tbody tr");
    const d = await page.evaluate(async () => (await fetch("/api/hub/dashboard", { credentials: "same-origin" })).json());
    const columns = [...d.countries.map((c) => ({ key: c.node, t: c.figures.training })), { key: "region", t: d.region.training }];
    expect(d.countries.some((c) => c.figures.training.generated_at),
      "the hub fixture holds no training summary: make_hub must store each node's (see the B1-training report)");

    // One row per country and the region: the summary's date or "none received", the totals.
    const rows = await page.$$eval("#region-training tbody tr", (trs) => trs.map((tr) => ({
      node: tr.dataset.node, cells: [...tr.querySelectorAll("td")].map((td) => td.textContent) })));
    expect(rows.map((r) => r.node).join() === columns.map((c) => c.key).join(), `training rows: ${rows.map((r) => r.node)}`);
    const shown = (v) => (typeof v === "number" ? v.toLocaleString("en") : v);
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    for (const [i, c] of columns.entries()) {
      const [made, total, issued, valid] = rows[i].cells;
      if (c.key !== "region") {
        expect((made === "none received") === (c.t.generated_at === null), `${c.key}: summary date cell "${made}" for ${c.t.generated_at}`);
      }
      expect(total === shown(c.t.participants_total), `${c.key}: participants ${total}, API ${c.t.participants_total}`);
      expect(issued === shown(sum(c.t.certificates_issued.map((x) => x.certificates))), `${c.key}: certificates issued ${issued}`);
      expect(valid === shown(sum(c.t.valid_certificates.map((x) => x.count))), `${c.key}: valid certificates ${valid}`);
    }

    // Participants: a row per (year, competency, sex, age band) any column has, each cell the
    // API's published value (suppressed strings included), "–" where the column has none.
    const keys = [...new Set(columns.flatMap((c) => c.t.participants.map((p) => `${p.year}|${p.competency}|${p.sex}|${p.age_band}`)))].sort();
    expect(keys.length > 0, "no training participants in any column");
    const cells = await page.$$eval("#region-training-participants tbody tr", (trs) => trs.map((tr) =>
      [...tr.querySelectorAll("td.num")].map((td) => td.textContent)));
    expect(cells.length === keys.length, `${cells.length} participant rows for ${keys.length} keys`);
    for (const [r, key] of keys.entries()) {
      for (const [i, c] of columns.entries()) {
        const p = c.t.participants.find((x) => `${x.year}|${x.competency}|${x.sex}|${x.age_band}` === key);
        const want = p ? shown(p.participants) : "–";
        expect(cells[r][i] === want, `${key} ${c.key}: "${cells[r][i]}", API ${want}`);
      }
    }
    const suppressed = columns.flatMap((c) => c.t.participants.filter((p) => typeof p.participants === "string"));
    expect(suppressed.every((p) => p.participants === `<${d.suppress_below}` || p.participants === "x"),
      `suppressed values: ${suppressed.map((p) => p.participants)}`);
    const labels = await page.$$eval("#region-training-participants tbody tr", (trs) => trs.map((tr) => tr.textContent));
    expect(labels.every((l) => !/_|\bnts\b|\bfemale\b/.test(l)), `codes shown: ${labels.slice(0, 3)}`);
    expect(await page.locator("#region-training-issued tbody tr").count() > 0, "no certificates issued rows");
    expect(await page.locator("#region-training-valid tbody tr").count() > 0, "no valid certificates rows");

    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      const what = `region training (${size.name})`;
      await expectFits(page, what);
      await expectAccessible(page, what);
      await page.locator("#region-training-section").scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, "layout", `region-training-${size.name}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // In Khmer: the section's headings and column headings in the script, values never codes.
    await page.selectOption("#lang", "km");
    await page.waitForFunction(() => document.querySelector("#region-training-section h2")?.textContent === "ការបណ្តុះបណ្តាល និងវិញ្ញាបនបត្រ");
    await page.waitForSelector("#region-training-participants tbody tr");
    const heads = await page.$$eval("#region-training thead th, #region-training-participants thead th, #region-training-issued thead th, #region-training-valid thead th",
      (ths) => ths.filter((th) => !th.dataset.node).map((th) => th.textContent));
    const english = heads.filter((x) => !/[\u1780-\u17FF]/.test(x));
    expect(english.length === 0, `km: headings not translated: ${english.join(", ")}`);
    const none = d.countries.some((c) => !c.figures.training.generated_at);
    if (none) expect((await page.textContent("#region-training")).includes("មិនទាន់ទទួលបាន"), "km: none received");
    await expectAccessible(page, "region training (km)");
    await page.selectOption("#lang", "en");
  });
}
