// The training register and the ordnance reference pages in Khmer and Thai: headings, values
// and notes in the language chosen, accessible and fitting a phone. Runs after run.mjs's
// training test (which created the training officer `trainer-e2e` and an expired and a valid
// certificate) and after reference-pages.mjs (which wrote PMN-2's page on the hub, with a photo).
const LANGUAGES = [
  { code: "km", reference: "ឯកសារយោងគ្រាប់រំសេវ", apMine: "មីនប្រឆាំងមនុស្ស", sections: ["ទំហំ", "ប្រព័ន្ធបង្កការផ្ទុះ", "គ្រោះថ្នាក់"], restricted: "កំណត់ចំណាំការធ្វើឱ្យមានសុវត្ថិភាព សម្រាប់តែមន្ត្រី EOD ប៉ុណ្ណោះ។",
    title: "ការបណ្តុះបណ្តាល និងវិញ្ញាបនបត្រ", certificates: "វិញ្ញាបនបត្រ", figures: "តួលេខការចូលរួម", expired: "ផុតកំណត់", valid: "មានសុពលភាព", script: /[\u1780-\u17FF]/ },
  { code: "th", reference: "ข้อมูลอ้างอิงวัตถุระเบิด", apMine: "ทุ่นระเบิดสังหารบุคคล", sections: ["ขนาด", "ชนวน", "อันตราย"], restricted: "บันทึกการทำให้ปลอดภัยจำกัดเฉพาะเจ้าหน้าที่ EOD",
    title: "การฝึกอบรมและใบรับรอง", certificates: "ใบรับรอง", figures: "ตัวเลขการเข้าร่วม", expired: "หมดอายุ", valid: "ใช้ได้", script: /[\u0E00-\u0E7F]/ },
];

export default async function ({ test, expect, login, expectFits, expectAccessible, SIZES, base, password, shots, join, env }) {
  await test("training register in Khmer and Thai: headings, competencies, sex and age bands, certificate states, phone and desktop", async (page) => {
    await login(page, "trainer-e2e");
    await page.waitForSelector("header nav");
    await page.goto(base + "/#/training");
    await page.waitForSelector("#training-certificates-table td.cert-expired");
    for (const lang of LANGUAGES) {
      await page.selectOption("#lang", lang.code);
      await page.waitForFunction((title) => document.querySelector("main h1")?.textContent === title, lang.title);
      // The view renders in steps: wait for its last table, in the language.
      await page.waitForFunction((word) => document.querySelector("#training-certificates-table td.cert-expired")?.textContent.startsWith(word)
        && document.querySelector("#training-figures-table"), lang.expired);
      expect(await page.evaluate(() => document.documentElement.lang) === lang.code, `html lang not ${lang.code}`);
      const headings = await page.$$eval("main h2", (hs) => hs.map((h) => h.textContent));
      expect(headings.some((t) => t.startsWith(lang.certificates)), `${lang.code}: certificates heading in ${JSON.stringify(headings)}`);
      expect(headings.some((t) => t.startsWith(lang.figures)), `${lang.code}: figures heading in ${JSON.stringify(headings)}`);
      const expired = await page.textContent("#training-certificates-table td.cert-expired");
      expect(expired.startsWith(lang.expired), `${lang.code}: expired certificate reads ${expired}`);
      const valid = await page.textContent("#training-certificates-table td.cert-valid");
      expect(valid.startsWith(lang.valid), `${lang.code}: valid certificate reads ${valid}`);
      // Every column heading of the register's tables is in the language's script.
      const columns = await page.$$eval("main th", (ths) => ths.map((th) => th.textContent.trim()).filter((t) => t));
      const english = columns.filter((c) => !lang.script.test(c));
      expect(english.length === 0, `${lang.code}: column headings not translated: ${english.join(", ")}`);
      // Values too: competencies, sex and age bands, never codes or English.
      const cells = await page.$$eval("main td", (tds) => tds.map((td) => td.textContent));
      const untranslated = cells.filter((c) => /Manual deminer|^female$|^male$|_/.test(c));
      expect(untranslated.length === 0, `${lang.code}: values not translated: ${untranslated.slice(0, 5).join(", ")}`);
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        const what = `training register (${lang.code}, ${size.name})`;
        await expectFits(page, what);
        await expectAccessible(page, what);
        await page.screenshot({ path: join(shots, "layout", `training-${lang.code}-${size.name}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await page.selectOption("#lang", "en");
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent.startsWith("Training"));
  });

  await test("ordnance reference pages in Khmer and Thai: list and page, categories, sections, the restricted note, phone and desktop", async (page) => {
    const hub = env.SAFEGROUND_HUB_URL;
    await login(page, "viewer", password, hub);
    await page.waitForSelector("header nav");
    for (const lang of LANGUAGES) {
      await page.goto(hub + "/#/reference");
      await page.waitForSelector('#reference-list li[data-model="PMN-2"]');
      await page.selectOption("#lang", lang.code);
      await page.waitForFunction((title) => document.querySelector("main h1")?.textContent === title, lang.reference);
      await page.waitForFunction((word) => document.querySelector('#reference-list li[data-model="PMN-2"] .category')?.textContent === word, lang.apMine);
      const found = await page.textContent('#reference-list li[data-model="PMN-2"] .found');
      expect(lang.script.test(found), `${lang.code}: found line not translated: ${found}`);
      await page.screenshot({ path: join(shots, `reference-list-${lang.code}.png`), fullPage: true });
      await page.click('#reference-list li[data-model="PMN-2"] a');
      await page.waitForSelector("#reference-page");
      await page.waitForSelector("#render-safe-withheld");
      const headings = await page.$$eval("#reference-page h2", (hs) => hs.map((h) => h.textContent));
      for (const section of lang.sections) {
        expect(headings.includes(section), `${lang.code}: section ${section} missing from ${JSON.stringify(headings)}`);
      }
      const untranslated = headings.filter((h) => !lang.script.test(h));
      expect(untranslated.length === 0, `${lang.code}: headings not translated: ${untranslated.join(", ")}`);
      expect((await page.textContent("#render-safe-withheld")).trim() === lang.restricted, `${lang.code}: restricted note`);
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        const what = `reference page (${lang.code}, ${size.name})`;
        await expectFits(page, what);
        await expectAccessible(page, what);
        await page.screenshot({ path: join(shots, "layout", `reference-page-${lang.code}-${size.name}.png`), fullPage: true });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await page.selectOption("#lang", "en");
  });
}
