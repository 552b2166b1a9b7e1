import { defineConfig } from "vite";

// Built by crates/server/build.rs into Cargo's OUT_DIR and embedded in the binary.
export default defineConfig({
  base: "/",
  build: {
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
