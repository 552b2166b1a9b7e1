//! Builds the browser UI (`web/`, TypeScript + Vite) with the machine's Node.js and npm and
//! embeds the result in the binary (`$OUT_DIR/assets.rs`). npm packages come from the npm
//! registry like crates from crates.io; nothing else is downloaded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(cmd: &mut Command, what: &str) {
    let status = cmd.status().unwrap_or_else(|e| {
        panic!(
            "{what}: cannot run npm ({e}). The web UI is built with Node.js ≥ 20 and npm: install \
             them (Debian: `apt-get install nodejs npm`) or point SAFEGROUND_NPM at npm"
        )
    });
    assert!(
        status.success(),
        "{what} failed ({status}); see the output above"
    );
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("read the built UI");
    for e in entries {
        let path = e.expect("directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let web = manifest.join("../../web");
    for p in [
        "src",
        "public",
        "scripts",
        "index.html",
        "package.json",
        "package-lock.json",
        "vite.config.ts",
        "tsconfig.json",
    ] {
        println!("cargo:rerun-if-changed={}", web.join(p).display());
    }
    println!("cargo:rerun-if-env-changed=SAFEGROUND_NPM");
    let npm = std::env::var("SAFEGROUND_NPM").unwrap_or_else(|_| "npm".into());
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("web");

    // Install the locked packages when node_modules is missing or older than the lock file.
    let installed = web.join("node_modules/.package-lock.json");
    let stale = match (
        std::fs::metadata(&installed).and_then(|m| m.modified()),
        std::fs::metadata(web.join("package-lock.json")).and_then(|m| m.modified()),
    ) {
        (Ok(i), Ok(l)) => i < l,
        _ => true,
    };
    if stale {
        run(
            Command::new(&npm)
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&web),
            "npm ci (web/)",
        );
    }
    run(
        Command::new(&npm)
            .args(["run", "build", "--silent", "--", "--outDir"])
            .arg(&out)
            .args(["--emptyOutDir", "--logLevel", "warn"])
            .current_dir(&web),
        "npm run build (web/)",
    );

    let mut found = Vec::new();
    files(&out, &mut found);
    found.sort();
    let mut code = String::from(
        "/// The built UI: (path relative to the site root, bytes).\n\
         pub static ASSETS: &[(&str, &[u8])] = &[\n",
    );
    for f in &found {
        let rel = f
            .strip_prefix(&out)
            .expect("inside the output")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!({:?})),",
            f.display().to_string()
        )
        .expect("write to a string");
    }
    code.push_str("];\n");
    std::fs::write(
        PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("assets.rs"),
        code,
    )
    .expect("write assets.rs");
}
