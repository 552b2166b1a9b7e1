// Checks the UI's translations before the build (run by `npm run build` and `npm test`):
// every locale in src/locales/ has exactly the keys of en.ts, none empty, each with the same
// {placeholders} as the English, and every vocabulary file (<lang>-vocab.ts) has exactly the
// keys of km-vocab.ts, none empty. Every locale must also be registered in src/i18n.ts.
// Prints one line per fault, naming the file and the key, and exits 1 when there is any.
//
//   node scripts/check-locales.mjs [DIR]     (DIR: the locales folder, src/locales by default)
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? join(here, "../src/locales");
const i18nFile = join(dir, "../i18n.ts");
const faults = [];

/** The line (1-based) of offset `i` in `text`. */
function lineOf(text, i) {
  return text.slice(0, i).split("\n").length;
}

/**
 * The entries of the one object literal a locale file exports (`export const x... = { "key":
 * "value", ... }`), in order. Only double-quoted string keys and values, comments and a trailing
 * comma are allowed: anything else is reported, so nothing is skipped silently.
 */
function parseLocale(file) {
  const text = readFileSync(file, "utf8");
  const name = basename(file);
  const start = text.search(/export const \w+[^=]*=\s*\{/);
  if (start < 0) throw new Error(`${name}: no "export const name = {" object found`);
  let i = text.indexOf("{", start) + 1;
  const entries = [];
  const skip = () => {
    for (;;) {
      const m = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(text.slice(i));
      if (!m) return;
      i += m[0].length;
    }
  };
  const string = (what) => {
    skip();
    const m = /^"(?:[^"\\\n]|\\.)*"/.exec(text.slice(i));
    if (!m) throw new Error(`${name}:${lineOf(text, i)}: expected a double-quoted ${what}`);
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const expect = (ch, what) => {
    skip();
    if (text[i] !== ch) throw new Error(`${name}:${lineOf(text, i)}: expected ${what}`);
    i++;
  };
  for (;;) {
    skip();
    if (text[i] === "}") break;
    const line = lineOf(text, i);
    const key = string("key");
    expect(":", `":" after "${key}"`);
    const value = string(`value for "${key}"`);
    entries.push({ key, value, line });
    skip();
    if (text[i] === ",") i++;
    else if (text[i] !== "}") throw new Error(`${name}:${lineOf(text, i)}: expected "," or "}" after "${key}"`);
  }
  return entries;
}

/** The `{name}` placeholders of a message, sorted (repeated ones repeated). */
function placeholders(s) {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** Compares a file's entries with the reference keys; returns the faults. */
function compare(file, entries, reference, withPlaceholders) {
  const name = basename(file);
  const seen = new Map();
  for (const { key, value, line } of entries) {
    if (seen.has(key)) faults.push(`${name}:${line}: key "${key}" twice (first on line ${seen.get(key)})`);
    seen.set(key, line);
    if (!reference.has(key)) {
      faults.push(`${name}:${line}: extra key "${key}" (not in the reference file)`);
      continue;
    }
    if (value.trim() === "") faults.push(`${name}:${line}: key "${key}" is empty`);
    if (withPlaceholders) {
      const want = placeholders(reference.get(key)).join(", ");
      const got = placeholders(value).join(", ");
      if (want !== got) faults.push(`${name}:${line}: key "${key}" has placeholders {${got}}, English has {${want}}`);
    }
  }
  for (const key of reference.keys()) {
    if (!seen.has(key)) faults.push(`${name}: key "${key}" missing`);
  }
}

function main() {
  const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
  const read = (f) => {
    try {
      return parseLocale(join(dir, f));
    } catch (e) {
      faults.push(e.message);
      return null;
    }
  };
  const en = read("en.ts");
  const kmVocab = read("km-vocab.ts");
  if (!en || !kmVocab) return;
  const messages = new Map(en.map((e) => [e.key, e.value]));
  const vocab = new Map(kmVocab.map((e) => [e.key, e.value]));
  compare("en.ts", en, messages, false);
  compare("km-vocab.ts", kmVocab, vocab, false);
  const i18n = readFileSync(i18nFile, "utf8");
  const locales = files.filter((f) => !f.endsWith("-vocab.ts") && f !== "en.ts").map((f) => f.slice(0, -3));
  for (const code of locales) {
    const entries = read(`${code}.ts`);
    if (entries) compare(`${code}.ts`, entries, messages, true);
    if (!files.includes(`${code}-vocab.ts`)) faults.push(`${code}-vocab.ts: missing (every locale but English has one)`);
    if (!new RegExp(`^\\s*${code}: \\{`, "m").test(i18n)) faults.push(`i18n.ts: locale "${code}" not listed in LOCALES`);
  }
  for (const f of files.filter((f) => f.endsWith("-vocab.ts") && f !== "km-vocab.ts")) {
    const code = f.slice(0, -"-vocab.ts".length);
    if (!locales.includes(code)) faults.push(`${f}: no locale ${code}.ts for it`);
    const entries = read(f);
    if (entries) compare(f, entries, vocab, false);
  }
  if (faults.length === 0) {
    console.log(`locales: ${locales.length + 1} locales × ${messages.size} keys and ${vocab.size} vocabulary labels complete`);
  }
}

main();
if (faults.length) {
  for (const f of faults) console.error(`locales: ${f}`);
  console.error(`locales: ${faults.length} fault(s) in ${dir}`);
  process.exit(1);
}
