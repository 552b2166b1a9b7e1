//! The evidence folder's files (orthophotos) beside a backup (`OUT.evidence/`), and back with a
//! restore: each file the programme names is copied and checked against its SHA-256.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, bail};
use safeground_store::Location;
use sha2::{Digest, Sha256};

/// Copies the orthophotos `db` names from the evidence folder `from` to `to`, each checked
/// against the SHA-256 the store holds: (files, bytes, the files `from` lacks).
pub fn copy_evidence(
    db: &Location,
    from: &Path,
    to: &Path,
) -> anyhow::Result<(usize, u64, Vec<String>)> {
    let store = db.open()?;
    let mut wanted: Vec<(String, String)> = store
        .orthophotos()?
        .into_iter()
        .map(|o| (o.file, o.sha256))
        .collect();
    wanted.sort();
    wanted.dedup();
    let (mut files, mut bytes, mut missing) = (0, 0, Vec::new());
    for (file, sha256) in wanted {
        let source = from.join(&file);
        if !source.is_file() {
            missing.push(file);
            continue;
        }
        let target = to.join(&file);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        let partial = target.with_extension("partial");
        let size = copy_checked(&source, &partial, &sha256)?;
        std::fs::rename(&partial, &target)
            .with_context(|| format!("naming {}", target.display()))?;
        files += 1;
        bytes += size;
    }
    Ok((files, bytes, missing))
}

/// Copies `from` to `to` while hashing it; refuses (removing `to`) when the hash is not
/// `sha256`.
fn copy_checked(from: &Path, to: &Path, sha256: &str) -> anyhow::Result<u64> {
    let mut input =
        std::fs::File::open(from).with_context(|| format!("opening {}", from.display()))?;
    let mut output =
        std::fs::File::create(to).with_context(|| format!("creating {}", to.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = input
            .read(&mut buf)
            .with_context(|| format!("reading {}", from.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        output
            .write_all(&buf[..n])
            .with_context(|| format!("writing {}", to.display()))?;
        size += n as u64;
    }
    output
        .sync_all()
        .with_context(|| format!("writing {}", to.display()))?;
    let got: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if got != sha256 {
        let _ = std::fs::remove_file(to);
        bail!(
            "{} has changed since it was added (SHA-256 {got}, the programme holds {sha256}); \
             restore it from an older copy of the evidence folder",
            from.display()
        );
    }
    Ok(size)
}
