//! Benchmark: safeground-search (tantivy + ICU) against PostgreSQL full-text search.
//!
//! Generates N documents (7 languages in turn, 2–4 KB each, one in ten with English sentences
//! mixed in) from the sentences of the test corpus with a fixed seed, indexes them in a
//! directory, runs Q queries (the corpus queries in turn, 10 hits with snippets) and reports
//! build time, size on disk and query latency; then the same in PostgreSQL (`tsvector` with the
//! `simple` configuration, GIN index, `plainto_tsquery`, `ts_headline`), and PostgreSQL's recall
//! on the corpus queries.
//!
//! ```text
//! cargo run --release -p safeground-search --example search-bench -- \
//!     --docs 10000 --queries 1000 --pg "host=/tmp/sg_pg port=5433 user=postgres"
//! ```
//! Without `--pg` only the tantivy side runs.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use safeground_search::{Entry, Language, Query, SearchIndex};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    id: String,
    language: Language,
    title: String,
    body: String,
}

#[derive(Deserialize)]
struct CorpusQuery {
    language: Language,
    text: String,
    expected: Vec<String>,
}

/// splitmix64: a deterministic generator, enough for picking sentences.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Args {
    docs: usize,
    queries: usize,
    pg: Option<String>,
}

fn args() -> Result<Args> {
    let mut a = Args {
        docs: 10_000,
        queries: 1000,
        pg: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--docs" => a.docs = value()?.parse().context("--docs")?,
            "--queries" => a.queries = value()?.parse().context("--queries")?,
            "--pg" => a.pg = Some(value()?),
            other => bail!("unknown argument {other}: use --docs N --queries N --pg CONNINFO"),
        }
    }
    Ok(a)
}

/// The corpus sentences of each language.
fn sentences(docs: &[Doc]) -> BTreeMap<&'static str, Vec<String>> {
    let mut by: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for d in docs {
        let list = by.entry(d.language.code()).or_default();
        list.push(d.title.clone());
        for s in d.body.split_inclusive(['.', '។', '။']) {
            if !s.trim().is_empty() {
                list.push(s.trim().to_string());
            }
        }
    }
    by
}

fn generate(n: usize, corpus: &[Doc]) -> Vec<Entry> {
    let pool = sentences(corpus);
    let mut rng = Rng(0x5AFE_6200);
    (0..n)
        .map(|i| {
            let language = Language::ALL[i % Language::ALL.len()];
            let own = &pool[language.code()];
            let english = &pool["en"];
            let target = 2000 + rng.below(2000);
            let mut body = String::with_capacity(target + 200);
            while body.len() < target {
                let list = if i % 10 == 3 && rng.below(4) == 0 {
                    english
                } else {
                    own
                };
                body.push_str(&list[rng.below(list.len())]);
                body.push(' ');
            }
            let title = own[rng.below(own.len())].clone();
            let access = ["public", "regional", "national"][i % 3];
            Entry::new(
                format!("g{i:05}"),
                "document",
                title,
                body,
                language,
                access,
            )
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

struct Figures {
    build: Duration,
    size: u64,
    p50: f64,
    p99: f64,
    mean_hits: f64,
    /// p50 and p99 of the English queries only (where PostgreSQL finds documents too).
    en: (f64, f64),
}

/// Latency figures from (query language, time) pairs.
fn latencies(mut times: Vec<(Language, Duration)>) -> (f64, f64, (f64, f64)) {
    let mut en: Vec<Duration> = times
        .iter()
        .filter(|(l, _)| *l == Language::En)
        .map(|&(_, t)| t)
        .collect();
    en.sort();
    times.sort_by_key(|&(_, t)| t);
    let all: Vec<Duration> = times.into_iter().map(|(_, t)| t).collect();
    (
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        (percentile(&en, 0.5), percentile(&en, 0.99)),
    )
}

fn bench_tantivy(entries: &[Entry], queries: &[(Language, String)]) -> Result<Figures> {
    let dir = tempfile::tempdir()?;
    let start = Instant::now();
    let mut index = SearchIndex::open_or_create(dir.path())?;
    for e in entries {
        index.upsert(e)?;
    }
    index.commit()?;
    let build = start.elapsed();
    let size = index.size_on_disk()?;
    let access: Vec<String> = ["public", "regional", "national"]
        .map(String::from)
        .to_vec();
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for (language, q) in queries {
        let mut query = Query::new(q, access.clone());
        query.limit = 10;
        let t = Instant::now();
        let found = index.search(&query)?;
        times.push((*language, t.elapsed()));
        hits += found.hits.len();
    }
    let (p50, p99, en) = latencies(times);
    Ok(Figures {
        build,
        size,
        p50,
        p99,
        mean_hits: hits as f64 / queries.len() as f64,
        en,
    })
}

fn copy_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn load_pg(
    client: &mut postgres::Client,
    table: &str,
    rows: &[(String, String, String)],
) -> Result<()> {
    client.batch_execute(&format!(
        "DROP TABLE IF EXISTS {table};
         CREATE TABLE {table} (id text PRIMARY KEY, title text NOT NULL, body text NOT NULL,
           tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || body)) STORED);"
    ))?;
    let mut writer = client.copy_in(&format!("COPY {table} (id, title, body) FROM STDIN"))?;
    for (id, title, body) in rows {
        writeln!(
            writer,
            "{}\t{}\t{}",
            copy_escape(id),
            copy_escape(title),
            copy_escape(body)
        )?;
    }
    writer.finish()?;
    client.batch_execute(&format!(
        "CREATE INDEX {table}_tsv ON {table} USING gin (tsv)"
    ))?;
    client.batch_execute(&format!("VACUUM ANALYZE {table}"))?;
    Ok(())
}

const PG_QUERY: &str =
    "SELECT id, ts_headline('simple', body, q) FROM {table}, plainto_tsquery('simple', $1) q
     WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT $2";

fn bench_pg(
    client: &mut postgres::Client,
    entries: &[Entry],
    queries: &[(Language, String)],
) -> Result<Figures> {
    let rows: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| (e.id.clone(), e.title.clone(), e.body.clone()))
        .collect();
    let start = Instant::now();
    load_pg(client, "sg_bench", &rows)?;
    let build = start.elapsed();
    let size: i64 = client
        .query_one("SELECT pg_total_relation_size('sg_bench')", &[])?
        .get(0);
    let statement = client.prepare(&PG_QUERY.replace("{table}", "sg_bench"))?;
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0;
    for (language, q) in queries {
        let t = Instant::now();
        let rows = client.query(&statement, &[q, &10_i64])?;
        times.push((*language, t.elapsed()));
        hits += rows.len();
    }
    let (p50, p99, en) = latencies(times);
    Ok(Figures {
        build,
        size: u64::try_from(size).unwrap_or(0),
        p50,
        p99,
        mean_hits: hits as f64 / queries.len() as f64,
        en,
    })
}

/// PostgreSQL's recall and precision on the corpus queries (same method as the crate's test).
fn pg_quality(client: &mut postgres::Client, docs: &[Doc], queries: &[CorpusQuery]) -> Result<()> {
    let rows: Vec<(String, String, String)> = docs
        .iter()
        .map(|d| (d.id.clone(), d.title.clone(), d.body.clone()))
        .collect();
    load_pg(client, "sg_bench_corpus", &rows)?;
    let statement = client.prepare(&PG_QUERY.replace("{table}", "sg_bench_corpus"))?;
    let mut tally: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for q in queries {
        let got: Vec<String> = client
            .query(&statement, &[&q.text, &50_i64])?
            .iter()
            .map(|r| r.get(0))
            .collect();
        let want: HashSet<&String> = q.expected.iter().collect();
        let t = tally.entry(q.language.code()).or_default();
        t[0] += 1;
        t[1] += got.iter().filter(|g| want.contains(g)).count();
        t[2] += q.expected.len();
        t[3] += got.len();
    }
    println!("\nPostgreSQL `simple` on the corpus queries (AND of words, limit 50):\n");
    println!("| Language | Queries | Recall | Precision |");
    println!("|---|---:|---:|---:|");
    for language in Language::ALL {
        let [n, found, expected, returned] = tally[language.code()];
        let precision = if returned == 0 {
            "–".to_string()
        } else {
            format!("{:.2}", found as f64 / returned as f64)
        };
        println!(
            "| {language} | {n} | {:.2} | {precision} |",
            found as f64 / expected as f64
        );
    }
    Ok(())
}

fn row(name: &str, f: &Figures) {
    println!(
        "| {name} | {:.1} s | {:.1} MB | {:.2} ms | {:.2} ms | {:.1} | {:.2} ms | {:.2} ms |",
        f.build.as_secs_f64(),
        f.size as f64 / 1e6,
        f.p50,
        f.p99,
        f.mean_hits,
        f.en.0,
        f.en.1
    );
}

fn main() -> Result<()> {
    let args = args()?;
    let docs: Vec<Doc> = serde_json::from_str(include_str!("../tests/corpus/documents.json"))?;
    let corpus_queries: Vec<CorpusQuery> =
        serde_json::from_str(include_str!("../tests/corpus/queries.json"))?;
    let entries = generate(args.docs, &docs);
    let text_bytes: usize = entries.iter().map(|e| e.title.len() + e.body.len()).sum();
    let queries: Vec<(Language, String)> = (0..args.queries)
        .map(|i| {
            let q = &corpus_queries[i % corpus_queries.len()];
            (q.language, q.text.clone())
        })
        .collect();
    println!(
        "{} documents, {:.1} MB of text, {} queries (10 hits, snippets)\n",
        entries.len(),
        text_bytes as f64 / 1e6,
        queries.len()
    );
    let ours = bench_tantivy(&entries, &queries)?;
    println!(
        "| Engine | Build | Size on disk | p50 query | p99 query | Hits/query | p50 en | p99 en |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    row("safeground-search (tantivy + ICU)", &ours);
    if let Some(conninfo) = &args.pg {
        let mut client = postgres::Client::connect(conninfo, postgres::NoTls)
            .with_context(|| format!("connecting to PostgreSQL ({conninfo})"))?;
        let pg = bench_pg(&mut client, &entries, &queries)?;
        row("PostgreSQL FTS (simple, GIN)", &pg);
        println!(
            "\nRatio PostgreSQL / safeground-search: build {:.2}×, size {:.2}×, p50 {:.2}×, p99 {:.2}×, English p50 {:.2}×, p99 {:.2}×",
            pg.build.as_secs_f64() / ours.build.as_secs_f64(),
            pg.size as f64 / ours.size as f64,
            pg.p50 / ours.p50,
            pg.p99 / ours.p99,
            pg.en.0 / ours.en.0,
            pg.en.1 / ours.en.1
        );
        pg_quality(&mut client, &docs, &corpus_queries)?;
        client.batch_execute("DROP TABLE sg_bench; DROP TABLE sg_bench_corpus;")?;
    }
    Ok(())
}
