//! W5: a whole feature collection as GeoJSON pages, from Safeground's OGC API Features
//! (following `next` links) and from PostGIS (the same pages as one SQL statement each, the
//! query of `../shared/PERFORMANCE.md` §2.5 with keyset paging).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use postgres::Client;

use crate::http::Connection;
use crate::memory;

/// A streamed collection.
pub struct Streamed {
    pub wall: Duration,
    pub bytes: usize,
    pub features: usize,
    pub pages: usize,
    /// The server's resident set before and after, and its peak during the stream, KiB
    /// (`None` when unreadable).
    pub rss_before_kib: Option<u64>,
    pub rss_after_kib: Option<u64>,
    pub peak_kib: Option<u64>,
}

impl Streamed {
    /// MB (10⁶ bytes) per second.
    pub fn mb_per_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.wall.as_secs_f64().max(1e-9)
    }

    /// Features per second.
    pub fn features_per_s(&self) -> f64 {
        self.features as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// `numberReturned` and the `next` link's path of an OGC items page, read from the members
/// after the feature array (the page's tail), without parsing the features.
fn page_tail(body: &[u8]) -> Result<(usize, Option<String>)> {
    // The members after the features, in whatever order the server writes them.
    let last = |key: &[u8]| body.windows(key.len()).rposition(|w| w == key);
    let at = [&b"\"numberReturned\""[..], b"\"links\""]
        .into_iter()
        .filter_map(last)
        .min()
        .context("no numberReturned in the page")?;
    let mut tail = b"{".to_vec();
    tail.extend_from_slice(&body[at..]);
    let v: serde_json::Value = serde_json::from_slice(&tail).context("bad page tail")?;
    let n = v["numberReturned"]
        .as_u64()
        .context("numberReturned is not a number")? as usize;
    let next = v["links"].as_array().and_then(|links| {
        links
            .iter()
            .find(|l| l["rel"] == "next")
            .and_then(|l| l["href"].as_str())
            .map(|href| {
                // Absolute link: keep the path and query.
                href.split_once("://")
                    .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
                    .unwrap_or_else(|| href.to_string())
            })
    });
    Ok((n, next))
}

/// Pages through `/ogc/collections/{collection}/items?limit={limit}` on the server at `addr`
/// (process `pid`, whose peak resident set is reset first).
pub fn ogc(addr: SocketAddr, pid: &str, collection: &str, limit: usize) -> Result<Streamed> {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
    let rss_before_kib = memory::status_kib(pid, "VmRSS");
    let mut conn = Connection::open(addr)?;
    let mut path = Some(format!("/ogc/collections/{collection}/items?limit={limit}"));
    let (mut bytes, mut features, mut pages) = (0, 0, 0);
    let start = Instant::now();
    while let Some(p) = path.take() {
        let r = conn.get(&p)?;
        if r.status != 200 {
            bail!("{p} answered {}", r.status);
        }
        let (n, next) = page_tail(&r.body).with_context(|| format!("page {p}"))?;
        bytes += r.body.len();
        features += n;
        pages += 1;
        path = next;
    }
    Ok(Streamed {
        wall: start.elapsed(),
        bytes,
        features,
        pages,
        rss_before_kib,
        rss_after_kib: memory::status_kib(pid, "VmRSS"),
        peak_kib: memory::status_kib(pid, "VmHWM"),
    })
}

/// One page of GeoJSON features built by PostGIS, after feature id `$1`.
const PAGE_SQL: &str = "\
SELECT coalesce(max(fid), 0), count(*), json_build_object('type', 'FeatureCollection', \
'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', fid, \
'geometry', ST_AsGeoJSON(geom)::json, 'properties', json_build_object('local_id', local_id, \
'name', name, 'class', class, 'status', status, 'contamination', contamination, \
'date_of_information', date_of_information)) ORDER BY fid), '[]'::json))::text \
FROM (SELECT * FROM national_hazard WHERE fid > $1 ORDER BY fid LIMIT $2) t";

/// The same collection from PostGIS (`national_hazard` as `ogr2ogr` loaded it), page by page.
pub fn postgis(db: &mut Client, limit: usize) -> Result<Streamed> {
    let pid: i32 = db.query_one("SELECT pg_backend_pid()", &[])?.get(0);
    let pid = pid.to_string();
    let statement = db.prepare(PAGE_SQL)?;
    let rss_before_kib = memory::status_kib(&pid, "VmRSS");
    let (mut bytes, mut features, mut pages, mut after) = (0, 0, 0, 0i32);
    let start = Instant::now();
    loop {
        let row = db.query_one(&statement, &[&after, &(limit as i64)])?;
        let n: i64 = row.get(1);
        if n == 0 {
            break;
        }
        let text: &str = row.get(2);
        bytes += text.len();
        features += n as usize;
        pages += 1;
        after = row.get(0);
    }
    Ok(Streamed {
        wall: start.elapsed(),
        bytes,
        features,
        pages,
        rss_before_kib,
        rss_after_kib: memory::status_kib(&pid, "VmRSS"),
        peak_kib: memory::status_kib(&pid, "VmHWM"),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_tail_of_a_page() {
        let body = br#"{"type":"FeatureCollection","features":[{"properties":{"numberReturned":9}}],"numberReturned":1,"timeStamp":"x","links":[{"href":"http://127.0.0.1:9/ogc/collections/hazards/items?limit=1","rel":"self"},{"href":"http://127.0.0.1:9/ogc/collections/hazards/items?limit=1&after=HZ-1","rel":"next"}]}"#;
        let (n, next) = page_tail(body).unwrap();
        assert_eq!(n, 1);
        assert_eq!(
            next.as_deref(),
            Some("/ogc/collections/hazards/items?limit=1&after=HZ-1")
        );
        let sorted = br#"{"type":"FeatureCollection","features":[{"properties":{}}],"links":[{"href":"http://h/ogc/collections/x/items?after=A-2","rel":"next"}],"numberReturned":1,"timeStamp":"x"}"#;
        let (n, next) = page_tail(sorted).unwrap();
        assert_eq!(n, 1);
        assert_eq!(next.as_deref(), Some("/ogc/collections/x/items?after=A-2"));
        let last = br#"{"features":[],"numberReturned":0,"links":[]}"#;
        assert_eq!(page_tail(last).unwrap(), (0, None));
        assert!(page_tail(b"{}").is_err());
    }
}
