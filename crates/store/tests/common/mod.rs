//! What the store's test suites share.

/// Runs each named suite function on every backend: an in-memory SQLite store, and a fresh
/// PostgreSQL database per test on SAFEGROUND_TEST_POSTGRES (skipped with the reason printed
/// when unset, unless SAFEGROUND_REQUIRE_POSTGRES=1). The test file imports `SqliteStore`.
macro_rules! backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name(super::SqliteStore::in_memory().expect("store")); })*
        }
        // A fresh database per test on SAFEGROUND_TEST_POSTGRES; skipped (with the reason
        // printed) when unset, unless SAFEGROUND_REQUIRE_POSTGRES=1.
        mod postgres {
            $(#[test] fn $name() {
                let Some((_db, store)) = safeground_store::postgres::testing::ScratchDatabase::store()
                    .expect("PostgreSQL test database") else { return };
                super::$name(store);
            })*
        }
    };
}
