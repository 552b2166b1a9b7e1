// The training register in Khmer and Thai: headings, certificate states and figures in the
// language chosen, accessible and fitting a phone. Runs after run.mjs's training test, which
// created the training officer `trainer-e2e` and an expired and a valid certificate.
const LANGUAGES = [
  { code: "km", title: "ការបណ្តុះបណ្តាល និងវិញ្ញាបនបត្រ", certificates: "វិញ្ញាបនបត្រ", figures: "តួលេខការចូលរួម", expired: "ផុតកំណត់", valid: "មានសុពលភាព", script: /[\u1780-\u17FF]/ },
  { code: "th", title: "การฝึกอบรมและใบรับรอง", certificates: "ใบรับรอง", figures: "ตัวเลขการเข้าร่วม", expired: "หมดอายุ", valid: "ใช้ได้", script: /[\u0E00-\u0E7F]/ },
];

export default async function ({ test, expect, login, expectFits, expectAccessible, SIZES, base, shots, join }) {
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
}
