//! `safeground hub pull`: the hub pulls a national node's federation feed over HTTP(S)
//! (`GET /api/federation/feed?after=CHECKPOINT&limit=N`), a page at a time, until the node
//! answers 204 (nothing after the checkpoint).
//!
//! Each page is streamed to an anonymous temporary file (memory stays constant whatever its
//! size), then verified and imported exactly as `hub import` imports a bundle file: one
//! transaction per page. A connection cut in the middle of a page leaves that page unread, so
//! nothing of it is written; the next pull starts again from the hub's checkpoint.
//!
//! Then the node's training summary (`GET /api/federation/training-summary`) is stored as
//! `hub import-training` stores a file; a node without that endpoint has none to give.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use clap::Args;
use safeground_federation::training_summary::MAX_DOCUMENT;
use safeground_server::federation::ReadBundle;
use safeground_store::hub::IncomingBundle;
use safeground_store::{AnyStore, Location, StoreError};
use ureq::tls::{PemItem, RootCerts, TlsConfig};

use crate::hub::{REFUSED, said};
use crate::hub_training::Summary;

/// Where the API token is read from when `--token-file` is not given.
pub const TOKEN_VAR: &str = "SAFEGROUND_FEED_TOKEN";

/// Media type of a bundle, as the feed sends it.
const BUNDLE_MEDIA_TYPE: &str = "application/vnd.safeground.bundle";

/// The feed's path under the node's address.
const FEED_PATH: &str = "/api/federation/feed";

/// The node's training summary under its address.
const TRAINING_PATH: &str = "/api/federation/training-summary";
/// The node's detector summary, pulled after the training summary.
const DETECTOR_PATH: &str = "/api/federation/detector-summary";

/// Most entries the feed sends per page.
const MAX_LIMIT: u64 = 100_000;

/// Most bytes of an error answer read for its message.
const PROBLEM_BYTES: u64 = 64 * 1024;

/// Arguments of `safeground hub pull`.
#[derive(Args, Debug)]
pub struct PullArgs {
    /// The hub's database.
    pub db: Location,
    /// The node to pull (registered with `hub add-node`); every page must be its bundle.
    #[arg(long)]
    pub node: String,
    /// The node's address, as its users open it (`https://ims.cmaa.example`).
    pub url: String,
    /// File holding the API token of an administrator of the node's national authority
    /// (`POST /api/tokens` on the node). Without it, the token is read from
    /// SAFEGROUND_FEED_TOKEN; it is never given on the command line.
    #[arg(long)]
    pub token_file: Option<PathBuf>,
    /// Trust this certificate (PEM: the node's self-signed certificate or its own certificate
    /// authority) instead of the public certificate authorities.
    #[arg(long)]
    pub ca_cert: Option<PathBuf>,
    /// Most outbox entries per page (1–100000).
    #[arg(long, default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..=MAX_LIMIT))]
    pub limit: u64,
    /// Who imports the pages (recorded in the audit log).
    #[arg(long, default_value = "cli")]
    pub actor: String,
}

/// One answer of the feed.
enum Page {
    /// 204: the hub holds everything the node has.
    UpToDate,
    /// A bundle, received whole into a temporary file (rewound); its size in bytes.
    Bundle(File, u64),
}

/// Pulls `args.node`'s feed into the hub until it is up to date. Exit code 2 when a page is
/// refused (not a bundle of the node, bad signature, gap: nothing of it is written).
pub fn pull(args: &PullArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let base = base_url(&args.url)?;
    let token = token(args.token_file.as_deref())?;
    let agent = agent(args.ca_cert.as_deref(), BUNDLE_MEDIA_TYPE)?;
    let db = &args.db;
    let mut store = db.open().with_context(|| format!("opening {db}"))?;
    let Some(mut checkpoint) = checkpoint(&store, &args.node)? else {
        eprintln!(
            "refused: node {} is not registered in this hub: register its card first \
             (`safeground hub add-node {db} CARD.json`)",
            args.node
        );
        return Ok(ExitCode::from(REFUSED));
    };
    let mut pages = 0u64;
    loop {
        let url = format!("{base}{FEED_PATH}?after={checkpoint}&limit={}", args.limit);
        let (file, bytes) = match fetch(&agent, &url, &token, args)? {
            Page::UpToDate => break,
            Page::Bundle(file, bytes) => (file, bytes),
        };
        let refused = |why: &str| {
            eprintln!("{url}: refused: {why}");
            eprintln!("nothing of this page was imported; the hub's checkpoint stays {checkpoint}");
            Ok(ExitCode::from(REFUSED))
        };
        let mut bundle = match ReadBundle::new(BufReader::with_capacity(1 << 16, file)) {
            Ok(b) => b,
            Err(e) => return refused(&format!("{e} ({bytes} bytes received)")),
        };
        if bundle.node() != args.node {
            return refused(&format!(
                "the page is a bundle of node {}, not of node {}: check --node and the URL",
                bundle.node(),
                args.node
            ));
        }
        match store.import_bundle(&args.actor, &mut bundle) {
            Ok(done) => writeln!(out, "{}", said(&done))?,
            Err(StoreError::BundleRefused(why)) => return refused(&why),
            Err(e) => return Err(e).with_context(|| format!("importing the page {url}")),
        }
        pages += 1;
        let next = checkpoint_of(&store, &args.node)?;
        if next <= checkpoint {
            bail!(
                "the page {url} did not move node {}'s checkpoint on from {checkpoint}: \
                 stopping rather than asking for it again; ask the node's administrators",
                args.node
            );
        }
        checkpoint = next;
    }
    if pages == 0 {
        writeln!(
            out,
            "nothing to do: the hub holds node {} through seq {checkpoint}, all the node has",
            args.node
        )?;
    } else {
        writeln!(
            out,
            "node {}: checkpoint {checkpoint} after {pages} page(s); up to date",
            args.node
        )?;
    }
    let code = summary(&mut store, &base, &token, args, out, Summary::Training)?;
    if code != ExitCode::SUCCESS {
        return Ok(code);
    }
    summary(&mut store, &base, &token, args, out, Summary::Detector)
}

/// Where a node serves its summary of `kind`.
fn summary_path(kind: Summary) -> &'static str {
    match kind {
        Summary::Training => TRAINING_PATH,
        Summary::Detector => DETECTOR_PATH,
    }
}

/// After the bundles: the node's latest training (then detector) summary, stored unless the
/// hub holds one as new. A node without the endpoint (404) has no summary to give, which is no
/// error. Exit code 2 when the summary is refused (nothing of it written).
fn summary(
    store: &mut AnyStore,
    base: &str,
    token: &str,
    args: &PullArgs,
    out: &mut dyn Write,
    kind: Summary,
) -> anyhow::Result<ExitCode> {
    let what = kind.what();
    let url = format!("{base}{}", summary_path(kind));
    let agent = agent(args.ca_cert.as_deref(), "application/json")?;
    let reply = agent
        .get(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .call();
    let mut reply = match reply {
        Ok(r) => r,
        Err(e) => return Err(transport(e, &url, args.ca_cert.as_deref(), "node")),
    };
    match reply.status().as_u16() {
        200 => {}
        404 => {
            writeln!(
                out,
                "node {}: no {what} (the node does not serve one)",
                args.node
            )?;
            return Ok(ExitCode::SUCCESS);
        }
        status => {
            let detail = problem_detail(reply.body_mut());
            return Err(refusal(status, &detail, "", &url, args));
        }
    }
    let document = reply
        .body_mut()
        .with_config()
        .limit(MAX_DOCUMENT as u64)
        .read_to_string()
        .map_err(|e| anyhow!("{url}: the {what} could not be read whole ({e}); pull again"))?;
    match crate::hub_training::put(store, kind, &args.actor, document)? {
        Ok(put) => {
            writeln!(out, "{}", crate::hub_training::said(&put, kind))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(why) => {
            eprintln!("{url}: refused: {why}");
            Ok(ExitCode::from(REFUSED))
        }
    }
}

/// The node's address without a trailing `/` (or the feed's path, if it was given).
fn base_url(url: &str) -> anyhow::Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let trimmed = trimmed.strip_suffix(FEED_PATH).unwrap_or(trimmed);
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['?', '#']) => {}
        _ => bail!(
            "`{url}` is not a node's address: give it as https://HOST[:PORT][/PATH] (http:// on \
             a trusted network only)"
        ),
    }
    if trimmed.starts_with("http://") && !is_loopback(trimmed) {
        eprintln!(
            "warning: {trimmed} is plain HTTP: the token and the shared records cross the \
             network unencrypted; prefer https://"
        );
    }
    Ok(trimmed.to_owned())
}

/// Whether an `http://` address names this machine.
fn is_loopback(url: &str) -> bool {
    let host = url.trim_start_matches("http://");
    ["localhost", "127.", "[::1]"]
        .iter()
        .any(|h| host.starts_with(h))
}

/// The API token: from `--token-file`, else from SAFEGROUND_FEED_TOKEN.
fn token(file: Option<&Path>) -> anyhow::Result<String> {
    let (text, from) = match file {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the token file {}", path.display()))?,
            format!("the token file {}", path.display()),
        ),
        None => match std::env::var(TOKEN_VAR) {
            Ok(t) => (t, TOKEN_VAR.to_owned()),
            Err(_) => bail!(
                "no API token: the feed is for administrators of the node's national \
                 authority; one of them makes a token (POST /api/tokens on the node), which you \
                 put in a file given with --token-file FILE or in {TOKEN_VAR}"
            ),
        },
    };
    let token = text.trim();
    if token.is_empty() || token.contains(char::is_whitespace) {
        bail!("{from} must hold the API token alone, on one line");
    }
    Ok(token.to_owned())
}

/// A blocking HTTP(S) client asking for `accept`: statuses answered (not errors), no
/// redirects, bounded waits, the public certificate authorities or the one of `--ca-cert`.
pub(crate) fn agent(ca_cert: Option<&Path>, accept: &str) -> anyhow::Result<ureq::Agent> {
    let mut tls = TlsConfig::builder();
    if let Some(path) = ca_cert {
        let pem = std::fs::read(path)
            .with_context(|| format!("reading the certificate {}", path.display()))?;
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(&pem) {
            if let PemItem::Certificate(c) =
                item.with_context(|| format!("reading the certificate {} (PEM)", path.display()))?
            {
                certs.push(c);
            }
        }
        if certs.is_empty() {
            bail!(
                "{} holds no certificate: give --ca-cert a PEM file with a `BEGIN CERTIFICATE` \
                 block",
                path.display()
            );
        }
        tls = tls.root_certs(RootCerts::new_with_certs(&certs));
    }
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_per_read(Some(Duration::from_secs(300)))
        .user_agent(concat!("safeground/", env!("CARGO_PKG_VERSION")))
        .accept(accept)
        .tls_config(tls.build())
        .build();
    Ok(config.into())
}

/// The hub's checkpoint for `node`, or `None` when the node is not registered.
fn checkpoint(store: &AnyStore, node: &str) -> anyhow::Result<Option<u64>> {
    if !store.is_hub()? {
        bail!("this database is not a hub: `safeground hub init DB` creates one");
    }
    Ok(store
        .hub_nodes()?
        .into_iter()
        .find(|n| n.node == node)
        .map(|n| n.checkpoint))
}

/// The hub's checkpoint for a registered `node`.
fn checkpoint_of(store: &AnyStore, node: &str) -> anyhow::Result<u64> {
    checkpoint(store, node)?.ok_or_else(|| anyhow!("node {node} is no longer registered"))
}

/// Asks for one page and receives it whole into a temporary file.
fn fetch(agent: &ureq::Agent, url: &str, token: &str, args: &PullArgs) -> anyhow::Result<Page> {
    let reply = agent
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call();
    let mut reply = match reply {
        Ok(r) => r,
        Err(e) => return Err(transport(e, url, args.ca_cert.as_deref(), "node")),
    };
    let status = reply.status().as_u16();
    if status == 204 {
        return Ok(Page::UpToDate);
    }
    if status != 200 {
        let location = reply
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let detail = problem_detail(reply.body_mut());
        return Err(refusal(status, &detail, &location, url, args));
    }
    let media = reply
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("none")
        .to_owned();
    if !media.starts_with(BUNDLE_MEDIA_TYPE) {
        bail!(
            "{url} answered with {media}, not a bundle ({BUNDLE_MEDIA_TYPE}): is `{}` the \
             node's address?",
            args.url
        );
    }
    let mut file = tempfile::tempfile().context("creating a temporary file for the page")?;
    let mut body = reply.into_body().into_reader();
    let copied = copy(&mut body, &mut file);
    let bytes = copied.map_err(|(bytes, e)| {
        anyhow!(
            "the connection broke after {bytes} bytes of the page {url} ({e}): nothing of this \
             page was imported; run the pull again, it continues from the hub's checkpoint"
        )
    })?;
    file.seek(SeekFrom::Start(0))
        .context("rewinding the temporary file")?;
    Ok(Page::Bundle(file, bytes))
}

/// Copies the body to the file; on failure, the bytes received before it.
fn copy(body: &mut dyn Read, file: &mut File) -> Result<u64, (u64, std::io::Error)> {
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err((total, e)),
        };
        file.write_all(&buf[..n]).map_err(|e| (total, e))?;
        total += n as u64;
    }
}

/// The `detail` of a problem document (or the start of the answer's text).
pub(crate) fn problem_detail(body: &mut ureq::Body) -> String {
    let text = body
        .with_config()
        .limit(PROBLEM_BYTES)
        .read_to_string()
        .unwrap_or_default();
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(v) => match v.get("detail").and_then(|d| d.as_str()) {
            Some(d) => d.to_owned(),
            None => text.chars().take(300).collect(),
        },
        Err(_) => text.chars().take(300).collect(),
    }
}

/// The message of an answer other than 200 or 204.
fn refusal(status: u16, detail: &str, location: &str, url: &str, args: &PullArgs) -> anyhow::Error {
    let (node, from) = (&args.node, token_source(args));
    let what = match status {
        401 => format!(
            "the node did not accept the API token from {from}: it is unknown, expired or \
             revoked; an administrator of node {node}'s national authority makes a new one \
             (POST /api/tokens on the node)"
        ),
        403 => format!(
            "the token from {from} is valid but its user may not pull the feed: it must be an \
             administrator of node {node}'s national authority"
        ),
        404 => format!(
            "`{}` serves no federation feed: the node must run `safeground serve … --node-key \
             FILE`, and the URL must be its address (without /api/…)",
            args.url
        ),
        409 => format!(
            "the node refused the hub's checkpoint or is not node {node} as its key says; \
             nothing was pulled; ask the node's administrators"
        ),
        300..=399 => format!("the node redirects to `{location}`: pull from that address"),
        _ => format!("unexpected answer {status}"),
    };
    let detail = detail.trim();
    if detail.is_empty() {
        anyhow!("{url}: {status}: {what}")
    } else {
        anyhow!("{url}: {status}: {what}\nthe node says: {detail}")
    }
}

/// Where the token came from, for messages.
fn token_source(args: &PullArgs) -> String {
    match &args.token_file {
        Some(p) => format!("the token file {}", p.display()),
        None => TOKEN_VAR.to_owned(),
    }
}

/// The message of a request to `peer` (the node, the hub) that got no answer.
pub(crate) fn transport(
    e: ureq::Error,
    url: &str,
    ca_cert: Option<&Path>,
    peer: &str,
) -> anyhow::Error {
    let tls = match &e {
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => true,
        ureq::Error::Io(io) => url.starts_with("https://") && is_tls_io(io),
        _ => false,
    };
    if tls {
        return match ca_cert {
            Some(path) => anyhow!(
                "TLS with {url} failed ({e}): the {peer}'s certificate is not signed by the one \
                 given with --ca-cert {}, or does not name this host",
                path.display()
            ),
            None => anyhow!(
                "TLS with {url} failed ({e}): if the {peer}'s certificate is self-signed or from \
                 your own certificate authority, give that certificate (PEM) with --ca-cert FILE"
            ),
        };
    }
    match &e {
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => anyhow!(
            "nothing answers at {url} (connection refused): is the {peer}'s `safeground serve` \
             running, and is this its address and port?"
        ),
        ureq::Error::HostNotFound => {
            anyhow!("{url}: host not found: check the {peer}'s address and this machine's DNS")
        }
        ureq::Error::Timeout(t) => {
            anyhow!("{url}: no answer in time ({t}): check the network, then pull again")
        }
        _ => anyhow!("{url}: {e}: nothing was written; run the pull again"),
    }
}

/// Whether an I/O error is rustls's (a handshake or certificate failure).
fn is_tls_io(io: &std::io::Error) -> bool {
    io.kind() == std::io::ErrorKind::InvalidData
        || io
            .get_ref()
            .is_some_and(|inner| inner.to_string().contains("certificate"))
}
