// Library documents received through the regional hub: on the federation node (KHM) the
// fixture holds a regional SOP received from LAO (crates/server/tests/ui.rs stores it with
// `receive_library`). Its row in the library says "from LAO"; its page names the owner, says
// it is read-only, and offers no edit or version form even to an administrator; the API
// refuses an edit with 409 naming LAO; phone and desktop layouts fit and pass axe.
const TITLE = "ມາດຕະຖານການປະຕິບັດງານ: ການເກັບກູ້ລະເບີດ (NRA SOP)";

export default async function ({ test, expect, login, expectFits, expectAccessible, SIZES, password, shots, join, env }) {
  const node = env.SAFEGROUND_NODE_URL;

  await test("a document received from LAO is shown with its owner and read-only at the node", async (page) => {
    await login(page, "admin", password, node);
    await page.waitForSelector("header nav");
    await page.goto(node + "/#/library");
    await page.waitForSelector("#library-table");
    const row = page.locator('#library-table tr:has(.library-owner[data-owner="LAO"])', { hasText: TITLE });
    expect(await row.count() === 1, `rows of the SOP from LAO: ${await row.count()}`);
    const owner = (await row.locator(".library-owner").textContent()).trim();
    expect(owner === "from LAO", `owner shown as "${owner}"`);
    const title = await row.locator("td a").first().textContent();
    expect(title === TITLE, `title ${title}`);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await expectFits(page, `library with a received document, ${size.name}`);
    }
    await expectAccessible(page, "library with a received document");

    await row.locator("td a").first().click();
    await page.waitForSelector("#library-document");
    expect((await page.textContent("#library-owner")) === "LAO", "the owner is not named on the page");
    const note = await page.textContent("#library-read-only");
    expect(note.includes("LAO"), `read-only note: ${note}`);
    expect(await page.locator("#library-edit").count() === 0, "an edit form on a received document");
    expect(await page.locator("#library-version").count() === 0, "a version form on a received document");
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await expectFits(page, `received document, ${size.name}`);
      await page.screenshot({ path: join(shots, "layout", `library-received-${size.name}.png`), fullPage: true });
    }
    await expectAccessible(page, "received document");

    // The API refuses an edit, naming the owner; nothing changes.
    const id = await page.getAttribute("#library-document", "data-id");
    const answer = await page.evaluate(async (id) => {
      const r = await fetch(`/api/library/${id}`, {
        method: "PUT", credentials: "same-origin", headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: "Renamed", language: "lo", doc_type: "sop", access: "regional" }),
      });
      return { status: r.status, body: await r.json().catch(() => null) };
    }, id);
    expect(answer.status === 409 && String(answer.body?.detail).includes("LAO"), `edit answered ${answer.status} ${JSON.stringify(answer.body)}`);
    await page.reload();
    await page.waitForSelector("#library-document h1");
    expect((await page.textContent("#library-document h1")) === TITLE, "the refused edit changed the title");
  });
}
