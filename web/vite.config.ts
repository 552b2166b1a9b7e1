import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

/** Writes the service worker `sw.js` beside the build (from src/field/sw.js): its precache list
 *  is "/" (index.html) and every built file, with the manifest and the icons of public/ (not the
 *  fonts: they are cached at first use), and its version a hash of their contents, so each build
 *  that changes anything is a new version. */
function serviceWorker(): Plugin {
  const web = fileURLToPath(new URL(".", import.meta.url));
  return {
    name: "safeground-service-worker",
    apply: "build",
    writeBundle(options, bundle) {
      const dir = options.dir ?? join(web, "dist");
      const publicFiles = ["manifest.webmanifest", ...readdirSync(join(web, "public/icons")).map((f) => `icons/${f}`)];
      const built = Object.keys(bundle).filter((f) => f !== "sw.js");
      const files = [...new Set([...built, ...publicFiles])].sort();
      const hash = createHash("sha256");
      for (const f of files) {
        hash.update(f);
        hash.update(readFileSync(built.includes(f) ? join(dir, f) : join(web, "public", f)));
      }
      const version = hash.digest("hex").slice(0, 16);
      const urls = files.map((f) => (f === "index.html" ? "/" : `/${f}`));
      const source = readFileSync(join(web, "src/field/sw.js"), "utf8")
        .replace('"__VERSION__"', JSON.stringify(version))
        .replace("__PRECACHE__", JSON.stringify(urls));
      writeFileSync(join(dir, "sw.js"), source);
    },
  };
}

// Built by crates/server/build.rs into Cargo's OUT_DIR and embedded in the binary.
export default defineConfig({
  base: "/",
  plugins: [serviceWorker()],
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
