// Conformance of the browser's rule interpreter (src/field/rules.ts) with the server's
// (safeground_model::rules): crates/server/tests/rules_conformance.rs writes the forms document
// and cases (a record kind, a record, the dates, the errors the server finds) to a JSON file;
// this runs the app's own module on every case and exits 1 on any difference.
//   node scripts/check-rules.mjs CASES.json
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const bundle = await rolldown({ input: fileURLToPath(new URL("../src/field/rules.ts", import.meta.url)) });
const { output } = await bundle.generate({ format: "esm" });
const rules = await import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString("base64")}`);

const { forms, cases } = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const [i, c] of cases.entries()) {
  const got = rules.check(forms.rules[c.kind], c.record, c.context);
  const same = JSON.stringify(got) === JSON.stringify(c.errors);
  if (!same) {
    failures += 1;
    console.log(`case ${i} (${c.kind}) differs:\n  record ${JSON.stringify(c.record)}\n  server ${JSON.stringify(c.errors)}\n  app    ${JSON.stringify(got)}`);
  }
}
console.log(`${cases.length - failures} of ${cases.length} cases agree`);
process.exit(failures ? 1 : 0);
