// Operations planning (issue 26): the tasking, ranking, forecast and risk pages. As a planner:
// the schedule has a row per team and a bar per task; a new task on a free team appears in the
// table; the same team on overlapping days is refused with the other task named; a task moves
// from planned to issued. The ranking with an edited weight lists what moved, its first row is
// the API's and its points add up to its score. The forecast shows the API's P50 and P90 and a
// bar per year. A viewer sees no task form and no save button. Every page fits a phone and
// passes axe; the headings read in Khmer.

export default async function ({ test, expect, login, expectFits, expectAccessible, SIZES, shots, join }) {
  const get = (page, path) => page.evaluate(async (p) => (await fetch(p, { credentials: "same-origin" })).json(), path);
  const post = (page, path, body) => page.evaluate(async ([p, b]) => {
    const r = await fetch(p, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" }, body: JSON.stringify(b) });
    return r.json();
  }, [path, body]);

  /** Checks the page at every size and saves its screenshots. */
  async function layout(page, name) {
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.waitForTimeout(200);
      await expectFits(page, `${name} (${size.name})`);
      await expectAccessible(page, `${name} (${size.name})`);
      await page.screenshot({ path: join(shots, "layout", `planning-${name}-${size.name}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  const iso = (d) => d.toISOString().slice(0, 10);
  const addDays = (s, n) => iso(new Date(Date.parse(`${s}T00:00:00Z`) + n * 86_400_000));

  await test("a planner tasks a free team, is refused a double booking and issues the task", async (page) => {
    await login(page, "planner");
    await page.waitForSelector("header nav");
    expect((await page.textContent("header nav")).includes("Planning"), "no Planning link in the navigation");
    await page.click("header nav a[href='#/planning']");
    await page.waitForSelector("#plan-schedule .plan-rows");
    const { teams } = await get(page, "/api/planning/teams");
    const { tasks } = await get(page, "/api/planning/tasks");
    expect(teams.length > 0 && tasks.length > 0, `the demo has ${teams.length} teams and ${tasks.length} tasks`);
    const rows = await page.$$eval("#plan-schedule .plan-row[data-team]", (lis) => lis.map((li) => li.dataset.team));
    expect(rows.join() === teams.map((x) => x.team).join(), `schedule rows ${rows} for teams ${teams.map((x) => x.team)}`);
    // Bars of the tasks that ended in the last three months or later; the earlier ones too
    // once asked for.
    const bars = async (list) => {
      for (const x of list) {
        expect(await page.locator(`#plan-schedule .plan-row[data-team="${x.team}"] .plan-bar[data-task="${x.task_id}"]`).count() === 1,
          `no bar for ${x.task_id} in ${x.team}'s row`);
      }
    };
    const now = new Date();
    const cutoff = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1)));
    await bars(tasks.filter((x) => x.planned_end >= cutoff));
    const drawn = await page.locator("#plan-schedule .plan-bar").count();
    expect(drawn === tasks.filter((x) => x.planned_end >= cutoff).length, `${drawn} bars drawn`);
    if (tasks.some((x) => x.planned_end < cutoff)) {
      await page.check("#plan-show-earlier");
      await bars(tasks);
      await page.uncheck("#plan-show-earlier");
    }
    for (const x of tasks) {
      expect(await page.locator(`#plan-tasks tr[data-task="${x.task_id}"]`).count() === 1, `no table row for ${x.task_id}`);
    }
    const statuses = new Set(tasks.map((x) => x.status));
    expect(statuses.size >= 5, `the demo's tasks have the statuses ${[...statuses]}`);
    const shown = tasks.find((x) => x.planned_end >= cutoff);
    const bar = shown && await page.getAttribute(`.plan-bar[data-task="${shown.task_id}"]`, "aria-label");
    expect(!shown || bar.includes(shown.hazard_local_ids[0]), `bar label "${bar}"`);
    await layout(page, "tasking");

    // A free team: none of its booking tasks overlaps the chosen days.
    const books = (x) => ["planned", "issued", "in_progress"].includes(x.status);
    let start, end, team;
    for (let i = 1; i <= 24 && !team; i++) {
      start = addDays(iso(new Date()), 30 * i);
      end = addDays(start, 13);
      team = teams.find((tm) => tm.assets.length && !tasks.some((x) => x.team === tm.team && books(x) && x.planned_start <= end && x.planned_end >= start));
    }
    expect(team, "no free team found");
    const { ranking } = await post(page, "/api/planning/ranking", {});
    const hazard = ranking[0].local_id;
    await page.selectOption("#plan-team", team.team);
    await page.fill("#plan-hazards", hazard);
    await page.selectOption("#plan-method", "clearance");
    await page.fill("#plan-start", start);
    await page.fill("#plan-end", end);
    await page.fill("#plan-comment", "e2e: planned by the walk");
    await page.click("#plan-create");
    await page.waitForFunction(() => /\S/.test(document.querySelector("#plan-notice")?.textContent ?? ""));
    const after = (await get(page, "/api/planning/tasks")).tasks;
    const created = after.find((x) => !tasks.some((y) => y.task_id === x.task_id));
    expect(created && created.team === team.team && created.planned_start === start, `created: ${JSON.stringify(created)}`);
    const row = page.locator(`#plan-tasks tr[data-task="${created.task_id}"]`);
    expect(await row.count() === 1, `${created.task_id} not in the table`);
    expect((await row.textContent()).includes(hazard), `${created.task_id}'s row lacks ${hazard}`);

    // The same team on overlapping days: 409, the message names the task that books it.
    await page.selectOption("#plan-team", team.team);
    await page.fill("#plan-hazards", hazard);
    await page.fill("#plan-start", addDays(start, 3));
    await page.fill("#plan-end", addDays(end, 3));
    await page.click("#plan-create");
    await page.waitForFunction(() => /\S/.test(document.querySelector("#plan-form-message")?.textContent ?? ""));
    const clash = await page.textContent("#plan-form-message");
    expect(clash.includes(created.task_id), `clash message "${clash}" does not name ${created.task_id}`);

    // Errors at their fields: an unknown hazard.
    await page.fill("#plan-hazards", "NO-SUCH-HAZARD");
    await page.fill("#plan-start", addDays(end, 200));
    await page.fill("#plan-end", addDays(end, 210));
    await page.click("#plan-create");
    await page.waitForSelector("#plan-task-form [data-error-for='hazards']:not(:empty)");

    // planned → issued.
    await row.locator("button.plan-next[data-status=issued]").click();
    await page.waitForSelector(`#plan-tasks tr[data-task="${created.task_id}"][data-status=issued]`);
    const issued = (await get(page, "/api/planning/tasks")).tasks.find((x) => x.task_id === created.task_id);
    expect(issued.status === "issued", `API says ${issued.status}`);
  });

  await test("a planner ranks with another weight, sees what moved, and the forecast matches the API", async (page) => {
    await login(page, "planner");
    await page.waitForSelector("header nav");
    await page.goto(page.url().split("#")[0] + "#/planning/ranking");
    await page.waitForSelector("#plan-ranking tbody tr");
    expect(await page.locator("#plan-save-weights").count() === 1, "no save button for a planner");
    const { criteria } = await get(page, "/api/planning/criteria");
    const weights = Object.fromEntries(criteria.map((c) => [c.id, c.weight]));
    // The criterion weighed least gets far more weight.
    const least = [...criteria].sort((a, b) => a.weight - b.weight)[0];
    weights[least.id] = least.weight * 10 + 20;
    await page.fill(`#plan-weight-${least.id}`, String(weights[least.id]));
    await page.click("#plan-rank");
    await page.waitForSelector("#plan-moved li");
    const api = await post(page, "/api/planning/ranking", { weights });
    expect(api.moved.length > 0, "the API lists nothing moved");
    const first = await page.getAttribute("#plan-ranking tbody tr:first-child", "data-item");
    expect(first === api.ranking[0].item, `first row ${first}, API ${api.ranking[0].item}`);
    const moved = await page.$$eval("#plan-moved li", (lis) => lis.length);
    expect(moved === api.moved.length, `${moved} moved shown, API ${api.moved.length}`);
    const parse = (s) => Number(s.replace(/,/g, ""));
    const score = parse(await page.textContent("#plan-ranking tbody tr:first-child .plan-score"));
    const parts = (await page.textContent("#plan-ranking tbody tr:first-child .plan-contrib-text")).split("; ")
      .map((p) => parse(p.slice(p.lastIndexOf(" ") + 1)));
    const sum = parts.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - score) <= 0.01 * parts.length + 1e-9, `points ${parts} sum to ${sum}, score ${score}`);
    expect(Math.abs(score - api.ranking[0].score) < 0.006, `score ${score}, API ${api.ranking[0].score}`);
    const csv = await page.request.get(new URL(await page.getAttribute("#plan-ranking-csv", "href"), page.url()).href);
    expect(csv.status() === 200, `CSV answered ${csv.status()}`);
    await page.waitForSelector("#plan-ranking-map canvas");
    await layout(page, "ranking");

    await page.click("#planning-tabs a[href='#/planning/forecast']");
    await page.waitForSelector("#plan-p50, #plan-forecast-error");
    expect(await page.locator("#plan-forecast-error").count() === 0, `forecast refused: ${await page.textContent("#plan-forecast").catch(() => "")}`);
    const settings = await get(page, "/api/planning/settings");
    const deadline = await page.inputValue("#plan-deadline");
    expect(deadline === (settings.article5_deadline ?? ""), `deadline ${deadline}, settings ${settings.article5_deadline}`);
    const q = new URLSearchParams({ runs: await page.inputValue("#plan-runs"), seed: await page.inputValue("#plan-seed"),
      days_per_year: String(settings.days_per_year) });
    if (deadline) q.set("deadline", deadline);
    const f = await get(page, `/api/planning/forecast?${q}`);
    for (const [id, want] of [["#plan-p50", f.country.p50], ["#plan-p90", f.country.p90]]) {
      const shown = await page.$eval(`${id} time`, (e) => e.getAttribute("datetime")).catch(() => null);
      expect(shown === want, `${id}: ${shown}, API ${want}`);
    }
    const bars = await page.$$eval("#plan-years-chart .plan-year-bar", (rs) => rs.map((r) => [Number(r.dataset.year), Number(r.dataset.runs)]));
    expect(JSON.stringify(bars) === JSON.stringify(f.by_year), `bars ${JSON.stringify(bars)}, API ${JSON.stringify(f.by_year)}`);
    expect((await page.getAttribute("#plan-years-chart", "aria-label")).includes(String(f.by_year[0]?.[0] ?? "")), "chart has no text alternative");
    await page.waitForSelector("#plan-productivity tbody tr");
    await layout(page, "forecast");

    await page.click("#planning-tabs a[href='#/planning/risk']");
    await page.waitForSelector("#plan-validation, #plan-risk-error");
    expect((await page.textContent("#plan-risk-rule")).includes("never opens or closes a hazard"), "the risk map's rule is missing");
    await layout(page, "risk");
  });

  await test("a viewer sees the planning pages without the task form or the save button; headings in Khmer", async (page) => {
    await login(page, "viewer");
    await page.waitForSelector("header nav");
    const base = page.url().split("#")[0];
    await page.goto(base + "#/planning");
    await page.waitForSelector("#plan-schedule");
    expect(await page.locator("#plan-task-form").count() === 0, "a viewer sees the task form");
    expect(await page.locator("button.plan-next").count() === 0, "a viewer sees status buttons");
    await page.goto(base + "#/planning/ranking");
    await page.waitForSelector("#plan-ranking tbody tr");
    expect(await page.locator("#plan-save-weights").count() === 0, "a viewer sees the save button");
    await expectAccessible(page, "ranking (viewer)");

    await page.selectOption("#lang", "km");
    for (const path of ["#/planning", "#/planning/ranking", "#/planning/forecast", "#/planning/risk"]) {
      await page.goto(base + path);
      await page.waitForFunction((p) => document.querySelector("#planning-tabs a.active")?.getAttribute("href") === p
        && document.querySelector("main h1"), path);
      const heads = await page.$$eval("main h1, main h2", (hs) => hs.map((x) => x.textContent));
      const english = heads.filter((x) => !/[\u1780-\u17FF]/.test(x));
      expect(english.length === 0, `km ${path}: headings not in Khmer: ${english.join(", ")}`);
    }
    await expectAccessible(page, "risk map (km)");
    await page.selectOption("#lang", "en");

    // The dashboard's productivity: a row per method and asset type, medians as the API's.
    await page.goto(base + "#/dashboard");
    await page.waitForSelector("#dash-productivity tbody tr");
    const d = await page.evaluate(async () => (await fetch("/api/dashboard", { credentials: "same-origin" })).json());
    const rows = await page.$$eval("#dash-productivity tbody tr", (trs) => trs.map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(rows.length === d.productivity.length && rows.length > 0, `productivity rows: ${rows.length}, API ${d.productivity.length}`);
    for (const [i, r] of d.productivity.entries()) {
      const median = Math.round(r.m2_per_day.median).toLocaleString("en");
      expect(rows[i][4] === median, `row ${i}: median ${rows[i][4]}, API ${median}`);
    }
  });
}
