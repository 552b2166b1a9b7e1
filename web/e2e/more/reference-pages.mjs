// The ordnance reference pages: on the regional hub its administrator creates (or edits) the
// page of PMN-2 — a bad dimension is refused beside its field and nothing is stored, a good
// edit is saved, a file that is no image is refused beside the file field, a PNG photo (drawn
// in the test) is added and shown —; the catalogue links the model to its page; a viewer of the
// hub reads the page without its render-safe notes, an EOD officer (created here through the
// users API) reads them; a federation node and the programme that adopted ARMAC's reference
// data show their adopted pages (or that there are none) read-only.
import { deflateSync } from "node:zlib";

const MODEL = "PMN-2";
const RENDER_SAFE = "Do not attempt render-safe: destroy in situ by qualified EOD personnel per national SOP.";
const CAPTION = "PMN-2 seen from above (drawing)";
const EOD_USER = "eod-officer-e2e";
const EOD_PASSWORD = "Mekong-lantern-7042-ridge";

/** A PNG of `w`×`h` RGB pixels given by `pixel(x, y)` → [r, g, b]. */
function png(w, h, pixel) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "ascii");
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) rows.set(pixel(x, y), y * (w * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A schematic top view of a round blast mine: a green disc with a darker pressure plate. */
const drawing = () => png(160, 120, (x, y) => {
  const r = Math.hypot(x - 80, y - 60);
  return r < 22 ? [38, 63, 43] : r < 50 ? [96, 128, 88] : [255, 255, 255];
});

export default async function ({ test, expect, login, expectFits, expectAccessible, SIZES, base, password, shots, join, env }) {
  const hub = env.SAFEGROUND_HUB_URL;
  const node = env.SAFEGROUND_NODE_URL;
  /** The API's answer to `path` in the page's session: status and JSON body. */
  const call = (page, path, init = {}) => page.evaluate(async ({ path, init }) => {
    const r = await fetch(path, { ...init, headers: { "content-type": "application/json" }, credentials: "same-origin" });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, { path, init });
  const logout = async (page) => {
    await page.click("#logout");
    await page.waitForSelector("form.login");
  };

  await test("a hub administrator creates an ordnance reference page: refusals beside their fields, a photo added", async (page) => {
    await login(page, "admin", password, hub);
    await page.waitForSelector("header nav");
    await page.goto(hub + "/#/reference");
    await page.waitForSelector("#reference-pages");
    const source = await page.textContent("#reference-source");
    expect(source.startsWith("Edited on this regional hub"), `hub's source: ${source}`);
    const before = await call(page, `/api/reference/pages/${MODEL}`);
    // A new page starts from the list's "Create page"; an existing one opens from its card.
    if (await page.locator(`#reference-create-model option[value="${MODEL}"]`).count()) {
      expect(before.status === 404, `${MODEL} offered for creation but the API has it (${before.status})`);
      await page.selectOption("#reference-create-model", MODEL);
      await page.click("#reference-create-submit");
    } else {
      expect(before.status === 200, `${MODEL}: neither offered for creation nor readable (${before.status})`);
      await page.click(`#reference-list li[data-model="${MODEL}"] h2 a`);
    }
    await page.waitForSelector("#reference-edit");
    await page.fill("#page-summary", "Soviet circular plastic-cased blast anti-personnel mine, common across the region.");
    await page.fill("#page-dimensions-length_mm", "-5");
    await page.fill("#page-dimensions-diameter_mm", "112");
    await page.fill("#page-dimensions-height_mm", "53");
    await page.fill("#page-dimensions-weight_g", "550");
    await page.fill("#page-dimensions-explosive_g", "240");
    await page.fill("#page-dimensions-explosive", "TNT");
    await page.fill("#page-fuzing", "Integral mechanical pressure fuze under a rubber pressure plate; arming delay after laying.");
    await page.fill("#page-identification", "Round black or green plastic body\nRaised rubber pressure plate on top\nArming plug on the side");
    await page.fill("#page-hazards", "Small pressure sets it off. Often laid with others; may be in poor condition after decades.");
    await page.fill("#page-render_safe", RENDER_SAFE);
    // A negative length: refused beside its field, and nothing stored.
    await page.click("#reference-edit-submit");
    await page.waitForSelector('#reference-edit [data-error-for="dimensions.length_mm"]:not(:empty)');
    const refused = await page.textContent('#reference-edit [data-error-for="dimensions.length_mm"]');
    expect(refused.length > 3, `length refusal: ${refused}`);
    const after = await call(page, `/api/reference/pages/${MODEL}`);
    expect(after.status === before.status && JSON.stringify(after.body?.dimensions) === JSON.stringify(before.body?.dimensions),
      `a refused edit changed the page: ${JSON.stringify(after.body?.dimensions)}`);
    // A round mine has no length: left empty, the page is saved and shown.
    await page.fill("#page-dimensions-length_mm", "");
    await page.click("#reference-edit-submit");
    await page.waitForSelector('#reference-page #reference-dimensions-table tr[data-dimension="diameter_mm"]');
    expect((await page.textContent("#reference-notice")) === "Page saved.", "no word that the page was saved");
    const diameter = await page.textContent('#reference-dimensions-table tr[data-dimension="diameter_mm"] td');
    expect(diameter === "112 mm", `diameter shown as ${diameter}`);
    expect(await page.locator('#reference-dimensions-table tr[data-dimension="length_mm"]').count() === 0, "an empty length shown");
    expect(await page.locator("#reference-identification li").count() === 3, "identification features not one per line");
    expect((await page.textContent("#render-safe-text")) === RENDER_SAFE, "the administrator does not see the render-safe notes");
    // The region's finds of the model as the hub counts them from the nodes' shared records.
    const saved = await call(page, `/api/reference/pages/${MODEL}`);
    const items = saved.body.found.reduce((n, f) => n + f.items, 0);
    if (saved.body.found.length) {
      const total = await page.textContent("#reference-found-table tfoot td");
      expect(total === new Intl.NumberFormat("en-GB").format(items), `region total ${total}, the API's ${items}`);
      expect(await page.locator("#reference-found-table tbody tr").count() === saved.body.found.length, "a row per country");
    } else {
      expect(await page.locator("#reference-found-none").count() === 1, "no word that the region found none");
    }
    // A file that is no image: refused beside the file field.
    await page.setInputFiles("#page-file", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a picture") });
    await page.fill("#page-caption", "not a photo");
    await page.click("#reference-photo-submit");
    await page.waitForSelector('#reference-photo [data-error-for="file"]:not(:empty)');
    expect(await page.locator("#reference-photos figure").count() === (before.body?.photos?.length ?? 0), "a refused file was added");
    // A PNG drawn here: stored and shown with its caption as its text alternative.
    await page.setInputFiles("#page-file", { name: "pmn2.png", mimeType: "image/png", buffer: drawing() });
    await page.fill("#page-caption", CAPTION);
    await page.click("#reference-photo-submit");
    const img = `#reference-photos figure img[alt="${CAPTION}"]`;
    await page.waitForSelector(img);
    await page.waitForFunction((sel) => document.querySelector(sel)?.complete && document.querySelector(sel).naturalWidth === 160, img);
    expect((await page.textContent("#reference-notice")) === "Photo added.", "no word that the photo was added");
    const src = await page.getAttribute(img, "src");
    const photo = await page.request.get(new URL(src, hub).href);
    expect(photo.status() === 200 && photo.headers()["content-type"] === "image/png", `photo served as ${photo.status()} ${photo.headers()["content-type"]}`);
    // The list shows the page with its thumbnail; the catalogue links the model to it.
    await page.click("#reference-back");
    await page.waitForSelector(`#reference-list li[data-model="${MODEL}"] img.reference-thumb`);
    await page.fill("#reference-filter", "no such ordnance");
    await page.waitForSelector("#reference-none:not([hidden])");
    expect(await page.locator("#reference-list li").count() === 0, "pages left by a filter matching none");
    await page.fill("#reference-filter", "pmn 2");
    await page.waitForSelector(`#reference-list li[data-model="${MODEL}"]`);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await expectFits(page, `reference list (${size.name})`);
      await expectAccessible(page, `reference list (${size.name})`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(hub + "/#/catalogue");
    await page.waitForSelector(`#catalogue-list tr[data-model="${MODEL}"] a.reference-link`);
    await page.click(`#catalogue-list tr[data-model="${MODEL}"] a.reference-link`);
    await page.waitForSelector(img);
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.waitForFunction((sel) => document.querySelector(sel)?.complete, img);
      await expectFits(page, `reference page (${size.name})`);
      await expectAccessible(page, `reference page (${size.name})`);
      await page.screenshot({
        path: join(shots, size.name === "phone" ? "reference-page-phone.png" : "reference-page.png"), fullPage: true,
      });
    }
  });

  await test("a hub viewer reads a reference page without its render-safe notes, and cannot edit it", async (page) => {
    await login(page, "viewer", password, hub);
    await page.waitForSelector("header nav");
    await page.goto(hub + `/#/reference/${MODEL}`);
    await page.waitForSelector("#reference-page #reference-render-safe");
    const note = await page.textContent("#render-safe-withheld");
    expect(note === "Render-safe notes are restricted to EOD officers.", `withheld note: ${note}`);
    expect(!(await page.textContent("main")).includes(RENDER_SAFE), "render-safe notes shown to a viewer");
    const api = await call(page, `/api/reference/pages/${MODEL}`);
    expect(api.body?.render_safe === null && api.body?.render_safe_withheld === true, `API to a viewer: ${JSON.stringify(api.body)}`);
    for (const form of ["#reference-edit", "#reference-photo", "button.photo-remove"]) {
      expect(await page.locator(form).count() === 0, `${form} shown to a viewer`);
    }
    await page.waitForSelector(`#reference-photos img[alt="${CAPTION}"]`);
    await page.goto(hub + "/#/reference");
    await page.waitForSelector("#reference-list");
    expect(await page.locator("#reference-create").count() === 0, "a viewer is offered to create pages");
    await expectAccessible(page, "reference page for a viewer");
  });

  await test("an EOD officer of the hub reads the render-safe notes", async (page) => {
    await login(page, "admin", password, hub);
    await page.waitForSelector("header nav");
    const made = await call(page, "/api/users", {
      method: "POST",
      body: JSON.stringify({ username: EOD_USER, display_name: "EOD officer (e2e)", organisation: "ORG-CMAA", role: "eod_officer", password: EOD_PASSWORD }),
    });
    expect(made.status === 201, `creating an eod_officer account: ${made.status} ${JSON.stringify(made.body)}`);
    await logout(page);
    await login(page, EOD_USER, EOD_PASSWORD, hub);
    await page.waitForSelector("header nav");
    await page.goto(hub + `/#/reference/${MODEL}`);
    await page.waitForSelector("#reference-page #render-safe-text");
    expect((await page.textContent("#render-safe-text")) === RENDER_SAFE, "the EOD officer does not read the notes");
    expect(await page.locator("#render-safe-withheld").count() === 0, "the restricted note shown to an EOD officer");
    expect(await page.locator("#reference-edit").count() === 0, "an edit form for an EOD officer");
  });

  // The node adopted nothing; the first server adopted ARMAC's reference set.
  const sourceText = (list) => list.source === "none"
    ? "No reference pages: this programme has adopted none from a regional hub."
    : `From version ${list.version} of the reference data adopted from the regional hub.`;
  for (const [what, url] of [["a federation node", node], ["a programme that adopted reference data", base]]) {
    await test(`${what} shows its adopted reference pages read-only`, async (page) => {
      await login(page, "viewer", password, url);
      await page.waitForSelector("header nav");
      await page.goto(url + "/#/reference");
      await page.waitForSelector("#reference-pages");
      expect(await page.locator("#reference-create").count() === 0, "pages offered for creation");
      const list = await call(page, "/api/reference/pages");
      expect(list.status === 200 && list.body.editable === false && list.body.source !== "hub",
        `list: ${list.status} ${JSON.stringify(list.body)}`);
      const source = await page.textContent("#reference-source");
      expect(source === sourceText(list.body), `source: ${source}`);
      if (list.body.pages.length === 0) {
        expect(await page.locator("#reference-empty").count() === 1, "no word that there are no pages");
      } else {
        const first = list.body.pages[0].model;
        await page.click(`#reference-list li[data-model="${first}"] h2 a`);
        await page.waitForSelector("#reference-page");
        for (const form of ["#reference-edit", "#reference-photo", "button.photo-remove"]) {
          expect(await page.locator(form).count() === 0, `${form} shown`);
        }
        expect((await page.textContent("#reference-version")).startsWith("From version"), "the adopted version not named");
      }
      await expectAccessible(page, `reference pages on ${what}`);
    });
  }
}
