//! `safeground hub import` killed (SIGKILL) at 5 random points of a 50,000-entry bundle, rerun
//! each time, ends in the same state as an uninterrupted import: zero lost, zero duplicated
//! (row counts and a checksum of every shared record), and each kill left all or nothing. On
//! SQLite, and on PostgreSQL when SAFEGROUND_TEST_POSTGRES is set.

mod common;

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{ok, postgres_url, s};
use safeground_federation::{BundleWriter, Entry, NodeId, NodeKey};
use safeground_model::ItemKind;
use safeground_store::postgres::testing::ScratchDatabase;

/// Entries of the bundle.
const ENTRIES: u64 = 50_000;

/// The seed of the kill points.
const SEED: u64 = 0x5AFE_6024;

/// Writes a bundle of [`ENTRIES`] entries of node KHM (upserts of 40,000 items, the first
/// 10,000 twice; every 100th entry withheld, every 250th a tombstone of the item before) and
/// its card; returns the card's path.
fn bundle(dir: &Path, file: &Path) -> std::path::PathBuf {
    let key = NodeKey::generate(NodeId::new("KHM").expect("id")).expect("key");
    let out = std::fs::File::create(file).expect("bundle file");
    let mut w = BundleWriter::new(std::io::BufWriter::new(out), &key).expect("writer");
    for seq in 1..=ENTRIES {
        let item = |n: u64| format!("00000000-0000-4000-8000-{:012}", n % 40_000);
        let entry = if seq % 100 == 0 {
            Entry::withheld(seq)
        } else if seq % 250 == 1 && seq > 250 {
            // The item upserted just before.
            Entry::tombstone(seq, ItemKind::Hazard, &item(seq - 1), seq)
        } else {
            let record = serde_json::json!({
                "kind": "hazard", "local_id": format!("HAZ-{seq}"), "class": "sha",
                "status": "open", "admin_pcode": "KH02", "remaining_m2": seq as f64 * 1.5,
            });
            Entry::upsert(seq, ItemKind::Hazard, &item(seq), seq, record)
        };
        w.push(&entry).expect("push");
    }
    w.finish().expect("finish");
    let card = dir.join("khm.card.json");
    let json = key.card("Cambodia (CMAA)").expect("card").to_json();
    std::fs::write(&card, json).expect("card file");
    card
}

/// A hub database: where `safeground` finds it, and its state.
trait Hub {
    /// The database argument.
    fn location(&self) -> String;
    /// The shared records' count, a checksum of their rows in key order (every column but
    /// the time of receipt), and node KHM's checkpoint.
    fn state(&self) -> (u64, u64, u64);
}

/// Feeds one row's columns to `h`.
fn feed(h: &mut DefaultHasher, texts: [&str; 4], revision: i64, seq: i64) {
    for t in texts {
        h.write(t.as_bytes());
        h.write_u8(0);
    }
    h.write_i64(revision);
    h.write_i64(seq);
}

const ROWS: &str = "SELECT node, item_uuid, kind, revision, record::text, seq FROM shared_record \
                    ORDER BY node, item_uuid";
const CHECKPOINT: &str = "SELECT checkpoint FROM hub_node WHERE node = 'KHM'";

struct SqliteHub(PathBuf);

impl Hub for SqliteHub {
    fn location(&self) -> String {
        s(&self.0).to_owned()
    }

    fn state(&self) -> (u64, u64, u64) {
        let conn = rusqlite::Connection::open(&self.0).expect("open");
        let mut stmt = conn.prepare(&ROWS.replace("::text", "")).expect("prepare");
        let mut rows = stmt.query([]).expect("query");
        let (mut n, mut h) = (0, DefaultHasher::new());
        while let Some(r) = rows.next().expect("row") {
            n += 1;
            let t = |i| r.get::<_, String>(i).expect("text");
            let texts = [t(0), t(1), t(2), t(4)];
            let texts = [&*texts[0], &*texts[1], &*texts[2], &*texts[3]];
            feed(
                &mut h,
                texts,
                r.get(3).expect("rev"),
                r.get(5).expect("seq"),
            );
        }
        let checkpoint: i64 = (conn.query_row(CHECKPOINT, [], |r| r.get(0))).expect("checkpoint");
        (n, h.finish(), checkpoint as u64)
    }
}

struct PostgresHub(ScratchDatabase);

impl Hub for PostgresHub {
    fn location(&self) -> String {
        postgres_url(&self.0)
    }

    fn state(&self) -> (u64, u64, u64) {
        let mut client = self.0.client().expect("client");
        let (mut n, mut h) = (0, DefaultHasher::new());
        for r in client.query(ROWS, &[]).expect("rows") {
            n += 1;
            let t = |i| r.get::<_, String>(i);
            feed(&mut h, [&t(0), &t(1), &t(2), &t(4)], r.get(3), r.get(5));
        }
        let checkpoint: i64 = client
            .query_one(CHECKPOINT, &[])
            .expect("checkpoint")
            .get(0);
        (n, h.finish(), checkpoint as u64)
    }
}

/// Makes `hub` a hub with node KHM registered.
fn init(hub: &dyn Hub, card: &Path) -> String {
    let db = hub.location();
    ok(&["hub", "init", &db]);
    ok(&["hub", "add-node", &db, s(card)]);
    db
}

/// xorshift64*: the kill points, the same on every run.
fn next(x: &mut u64) -> u64 {
    *x ^= *x >> 12;
    *x ^= *x << 25;
    *x ^= *x >> 27;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Imports the bundle into two new hubs without a kill, then into 5 more, each killed at a
/// random point (seeded) and imported again: every kill leaves all or nothing, and every rerun
/// the state of the uninterrupted import.
fn kill_and_resume(new_hub: &mut dyn FnMut() -> Box<dyn Hub>) {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("khm.sgb");
    let card = bundle(dir.path(), &file);

    // Two uninterrupted imports (the first warms the caches): the same state, and the
    // shorter time bounds the kill points.
    let mut whole = std::time::Duration::MAX;
    let mut expected = None;
    for _ in 0..2 {
        let reference = new_hub();
        let db = init(reference.as_ref(), &card);
        let started = Instant::now();
        let said = ok(&["hub", "import", &db, s(&file)]);
        whole = whole.min(started.elapsed());
        assert!(said.contains("seq 1–50000"), "{said}");
        let state = reference.state();
        assert_eq!(*expected.get_or_insert(state), state);
    }
    let expected = expected.expect("imported");
    assert_eq!(expected.2, ENTRIES);
    assert!(expected.0 > 30_000, "{expected:?}");

    let mut x = SEED;
    let mut outcomes = Vec::new();
    for _ in 0..5 {
        let hub = new_hub();
        let db = init(hub.as_ref(), &card);
        // Anywhere from the process's start to 90 % of an uninterrupted import's time.
        let after = whole.mul_f64((next(&mut x) % 1_000) as f64 / 1_100.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_safeground"))
            .args(["hub", "import", &db, s(&file)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(after);
        let running = child.try_wait().expect("wait").is_none();
        child.kill().ok();
        child.wait().ok();
        // PostgreSQL ends the killed client's session (and rolls its transaction back) once
        // it sees the socket closed: give it a moment.
        std::thread::sleep(std::time::Duration::from_millis(200));
        let (rows, _, checkpoint) = hub.state();
        // One transaction: after a kill the hub holds the whole bundle or none of it.
        assert!(
            (rows, checkpoint) == (0, 0) || (rows, checkpoint) == (expected.0, ENTRIES),
            "after a kill at {after:?}: {rows} rows, checkpoint {checkpoint}"
        );
        outcomes.push((after, running, rows));
        // Rerun: completes the import, or finds it done.
        let said = ok(&["hub", "import", &db, s(&file)]);
        assert!(
            said.contains("applied") || said.contains("nothing to do: already held"),
            "{said}"
        );
        assert_eq!(
            hub.state(),
            expected,
            "after the rerun of a kill at {after:?}"
        );
    }
    eprintln!(
        "uninterrupted import: {whole:?}; kills (after, still running, rows left): {outcomes:?}"
    );
    assert!(
        outcomes.iter().any(|(_, running, _)| *running),
        "no kill landed while the import ran: {outcomes:?}"
    );
}

#[test]
fn kill_9_at_five_random_points_then_resume_loses_and_duplicates_nothing_on_sqlite() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut n = 0;
    kill_and_resume(&mut || {
        n += 1;
        Box::new(SqliteHub(dir.path().join(format!("hub{n}.sqlite"))))
    });
}

#[test]
fn kill_9_at_five_random_points_then_resume_loses_and_duplicates_nothing_on_postgres() {
    if ScratchDatabase::create()
        .expect("PostgreSQL test database")
        .is_none()
    {
        return;
    }
    kill_and_resume(&mut || {
        let db = ScratchDatabase::create().expect("PostgreSQL test database");
        Box::new(PostgresHub(db.expect("configured")))
    });
}
