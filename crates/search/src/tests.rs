//! Unit tests of the index: filters, access, replace and remove, snippets, errors.

use crate::{Entry, Filters, Language, Query, SearchError, SearchIndex};

fn entry(id: &str, title: &str, body: &str, language: Language, access: &str) -> Entry {
    Entry::new(id, "document", title, body, language, access)
}

fn ids(index: &SearchIndex, query: &Query) -> Vec<String> {
    let mut ids: Vec<String> = index
        .search(query)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    ids.sort();
    ids
}

fn public(text: &str) -> Query {
    Query::new(text, vec!["public".into()])
}

fn sample() -> SearchIndex {
    let mut index = SearchIndex::in_memory().expect("index");
    let mut a = entry(
        "kh-1",
        "Clearance report",
        "ការបោសសម្អាតមីនក្នុងខេត្តបាត់ដំបង",
        Language::Km,
        "public",
    );
    a.country = Some("KH".into());
    a.doc_type = Some("report".into());
    let mut b = entry(
        "vn-1",
        "Báo cáo",
        "Rà phá bom mìn tại tỉnh Quảng Trị",
        Language::Vi,
        "national",
    );
    b.country = Some("VN".into());
    b.imas_topic = Some("09.10".into());
    let mut c = entry(
        "en-1",
        "Minefield survey",
        "Two minefields were surveyed in Battambang.",
        Language::En,
        "regional",
    );
    c.kind = "hazard".into();
    c.country = Some("KH".into());
    for e in [a, b, c] {
        index.upsert(&e).expect("upsert");
    }
    index.commit().expect("commit");
    index
}

#[test]
fn access_is_always_applied() {
    let index = sample();
    let all = vec!["public".into(), "regional".into(), "national".into()];
    assert_eq!(ids(&index, &Query::new("quang tri", all.clone())), ["vn-1"]);
    assert!(ids(&index, &public("quang tri")).is_empty());
    assert!(ids(&index, &Query::new("quang tri", Vec::new())).is_empty());
    // A filter on access cannot widen what the caller may see.
    let mut q = public("battambang");
    q.filters.access = Some("regional".into());
    assert!(ids(&index, &q).is_empty());
}

#[test]
fn filters_are_exact() {
    let index = sample();
    let all = vec!["public".into(), "regional".into(), "national".into()];
    let mut q = Query::new("battambang", all.clone());
    assert_eq!(ids(&index, &q), ["en-1"]);
    q.filters = Filters {
        kind: Some("document".into()),
        ..Filters::default()
    };
    assert!(ids(&index, &q).is_empty());
    let mut q = Query::new("ខេត្តបាត់ដំបង", all.clone());
    q.filters.country = Some("KH".into());
    q.filters.language = Some(Language::Km);
    q.filters.doc_type = Some("report".into());
    assert_eq!(ids(&index, &q), ["kh-1"]);
    q.filters.country = Some("kh".into());
    assert!(ids(&index, &q).is_empty(), "exact, case-sensitive");
    let mut q = Query::new("mìn", all);
    q.filters.imas_topic = Some("09.10".into());
    assert_eq!(ids(&index, &q), ["vn-1"]);
}

#[test]
fn replace_and_remove_by_id() {
    let mut index = sample();
    assert_eq!(index.len(), 3);
    let mut q = public("ខេត្តបាត់ដំបង");
    assert_eq!(ids(&index, &q), ["kh-1"]);
    index
        .upsert(&entry(
            "kh-1",
            "Report",
            "ការអប់រំពីគ្រោះថ្នាក់មីន",
            Language::Km,
            "public",
        ))
        .expect("replace");
    index.commit().expect("commit");
    assert_eq!(index.len(), 3);
    assert!(ids(&index, &q).is_empty(), "old text gone");
    q.text = "ការអប់រំ".into();
    assert_eq!(ids(&index, &q), ["kh-1"]);
    // Two versions in one batch: the last one wins.
    for body in ["ការស្ទង់បច្ចេកទេស", "ការអប់រំពីគ្រោះថ្នាក់មីន"]
    {
        index
            .upsert(&entry("kh-2", "Report", body, Language::Km, "public"))
            .expect("upsert");
    }
    index.commit().expect("commit");
    assert_eq!(index.len(), 4);
    assert!(
        ids(&index, &public("ស្ទង់បច្ចេកទេស")).is_empty(),
        "first version gone"
    );
    assert_eq!(ids(&index, &q), ["kh-1", "kh-2"]);
    index.remove("kh-2").expect("remove");
    index.remove("kh-1").expect("remove");
    index
        .remove("no-such-id")
        .expect("removing nothing is fine");
    index.commit().expect("commit");
    assert_eq!(index.len(), 2);
    assert!(ids(&index, &q).is_empty());
}

#[test]
fn compound_parts_and_folding_are_found() {
    let index = sample();
    let all = vec!["public".into(), "regional".into(), "national".into()];
    for (text, id) in [
        ("បាត់ដំបង", "kh-1"),
        ("មីន", "kh-1"),
        ("Quang Tri", "vn-1"),
        ("\"quảng trị\"", "vn-1"),
        ("minefield", "en-1"),
        ("surveys", "en-1"),
    ] {
        assert_eq!(ids(&index, &Query::new(text, all.clone())), [id], "{text}");
    }
    // A phrase needs the words in order.
    assert!(ids(&index, &Query::new("\"tri quang\"", all)).is_empty());
}

#[test]
fn highlights_land_on_the_matched_words() {
    let index = sample();
    let all = vec!["public".into(), "regional".into(), "national".into()];
    let hits = index
        .search(&Query::new("quang tri", all.clone()))
        .expect("search");
    let hit = &hits.hits[0];
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&(s, e)| &hit.snippet[s..e])
        .collect();
    assert_eq!(marked, ["Quảng", "Trị"]);
    let hits = index
        .search(&Query::new("បាត់ដំបង", all.clone()))
        .expect("search");
    let hit = &hits.hits[0];
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&(s, e)| &hit.snippet[s..e])
        .collect();
    assert_eq!(marked, ["បាត់ដំបង"]);
    let hits = index.search(&Query::new("minefield", all)).expect("search");
    let hit = &hits.hits[0];
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&(s, e)| &hit.snippet[s..e])
        .collect();
    assert_eq!(marked, ["minefields"]);
    let title: Vec<&str> = hit
        .title_highlights
        .iter()
        .map(|&(s, e)| &hit.title[s..e])
        .collect();
    assert_eq!(title, ["Minefield"]);
}

#[test]
fn long_bodies_are_cut_around_the_match() {
    let mut index = SearchIndex::in_memory().expect("index");
    let filler = "The team checked the route and the school grounds again. ".repeat(20);
    let body = format!("{filler}A cluster munition was found near Pailin. {filler}");
    index
        .upsert(&entry("long", "Report", &body, Language::En, "public"))
        .expect("upsert");
    index.commit().expect("commit");
    let hit = &index.search(&public("pailin")).expect("search").hits[0];
    assert!(
        hit.snippet.starts_with('…') && hit.snippet.ends_with('…'),
        "{}",
        hit.snippet
    );
    assert!(hit.snippet.len() < 340, "{}", hit.snippet.len());
    let marked: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&(s, e)| &hit.snippet[s..e])
        .collect();
    assert_eq!(marked, ["Pailin"]);
}

#[test]
fn paging_and_totals() {
    let mut index = SearchIndex::in_memory().expect("index");
    for i in 0..25 {
        index
            .upsert(&entry(
                &format!("d{i:02}"),
                "Survey",
                "mine survey",
                Language::En,
                "public",
            ))
            .expect("upsert");
    }
    index.commit().expect("commit");
    let mut q = public("survey");
    q.limit = 10;
    q.offset = 20;
    let hits = index.search(&q).expect("search");
    assert_eq!(hits.total, 25);
    assert_eq!(hits.hits.len(), 5);
}

#[test]
fn bad_entries_and_languages_are_refused() {
    let mut index = SearchIndex::in_memory().expect("index");
    let err = index
        .upsert(&entry("x1", "t", "b", Language::En, ""))
        .expect_err("no access");
    assert!(
        err.to_string().contains("\"x1\"") && err.to_string().contains("access"),
        "{err}"
    );
    let err = index
        .upsert(&entry(" ", "t", "b", Language::En, "public"))
        .expect_err("no id");
    assert!(matches!(err, SearchError::InvalidEntry { field: "id", .. }));
    let err = "fr".parse::<Language>().expect_err("unknown");
    assert!(
        err.to_string().contains("\"fr\"") && err.to_string().contains("km"),
        "{err}"
    );
    assert_eq!("KM".parse::<Language>().expect("known"), Language::Km);
    assert!(matches!(
        index.search(&public("  ")),
        Err(SearchError::EmptyQuery)
    ));
}

#[test]
fn directory_index_reopens_and_locks() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let mut index = SearchIndex::open_or_create(dir.path()).expect("create");
        index
            .upsert(&entry(
                "a",
                "Mine risk education",
                "Lessons in Xiangkhouang",
                Language::En,
                "public",
            ))
            .expect("upsert");
        index.commit().expect("commit");
        let err = SearchIndex::open_or_create(dir.path())
            .err()
            .expect("locked");
        assert!(matches!(err, SearchError::Locked(_)), "{err}");
        assert!(index.size_on_disk().expect("size") > 0);
    }
    let index = SearchIndex::open_or_create(dir.path()).expect("reopen");
    assert_eq!(index.len(), 1);
    assert_eq!(ids(&index, &public("xiangkhouang")), ["a"]);
}

#[test]
fn corrupt_index_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("meta.json"), "{ not json").expect("write");
    let err = SearchIndex::open_or_create(dir.path())
        .err()
        .expect("corrupt");
    assert!(matches!(err, SearchError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("rebuild"), "{err}");
}

#[test]
fn snippets_of_long_texts_find_late_matches() {
    let mut index = SearchIndex::in_memory().expect("index");
    // Unspaced Thai over several chunks, the match near the end.
    let thai = format!("{}จังหวัดสระแก้ว", "ทีมสำรวจทางเทคนิคยืนยันพื้นที่อันตราย".repeat(40));
    // English with the match after several chunks, and again later.
    let filler = "The team checked the route and the school grounds again. ".repeat(60);
    let english = format!("{filler}Deminers reached Pailin. {filler} Pailin again.");
    for (id, body) in [("th", &thai), ("en", &english)] {
        index
            .upsert(&entry(id, "Report", body, Language::En, "public"))
            .expect("upsert");
    }
    index.commit().expect("commit");
    for (query, word) in [("สระแก้ว", "สระแก้ว"), ("pailin", "Pailin")]
    {
        let hit = &index.search(&public(query)).expect("search").hits[0];
        let marked: Vec<&str> = hit
            .highlights
            .iter()
            .map(|&(s, e)| &hit.snippet[s..e])
            .collect();
        assert_eq!(
            marked.first().copied(),
            Some(word),
            "{query}: {}",
            hit.snippet
        );
    }
}

#[test]
fn index_can_be_shared_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<SearchIndex>();
}
