//! The account contract's conformance suite (every backend runs it unchanged).

#[macro_use]
mod common;

use chrono::{Duration, Utc};
use safeground_store::{
    AccountAction, AccountRequests, AccountStore, AuditQuery, CredentialKind, HubStore, NewAccount,
    ProgrammeStore, Role, SqliteStore, StoreError, hub::NewHubNode,
};

backends!(
    accounts_are_unique_and_listed,
    disabled_accounts_lose_their_credentials,
    sessions_expire_and_password_reset_revokes_them,
    login_failures_are_counted_and_audited,
    failed_logins_store_a_bounded_name_and_the_audit_log_pages,
    victim_assistance_accounts_need_a_second_administrator,
    hub_roles_exist_only_on_a_hub_and_a_national_viewer_names_its_node,
);

fn new(username: &str, role: Role) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: format!("User {username}"),
        organisation: "ORG-HALO".into(),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

fn accounts_are_unique_and_listed<S: AccountStore>(mut store: S) {
    let a = store
        .add_account("admin", &new("sokha", Role::DataEntry))
        .expect("add");
    assert_eq!(a.role, Role::DataEntry);
    assert!(!a.disabled);
    let err = store
        .add_account("admin", &new("SOKHA", Role::Viewer))
        .expect_err("names are case-insensitive");
    assert!(err.to_string().contains("already exists"), "{err}");
    let err = store
        .add_account("admin", &new("bad name", Role::Viewer))
        .expect_err("invalid name");
    assert!(matches!(err, StoreError::Account(_)), "{err}");
    store
        .add_account("admin", &new("dara", Role::Approver))
        .expect("add");
    let names: Vec<_> = store
        .accounts()
        .expect("list")
        .into_iter()
        .map(|a| a.username)
        .collect();
    assert_eq!(names, vec!["dara", "sokha"]);
    assert!(store.account("Sokha").expect("read").is_some());
    assert!(store.password_hash("sokha").expect("hash").is_some());
    assert!(store.password_hash("nobody").expect("hash").is_none());
}

fn disabled_accounts_lose_their_credentials<S: AccountStore>(mut store: S) {
    store
        .add_account("admin", &new("sokha", Role::Viewer))
        .expect("add");
    store
        .add_credential(
            "sokha",
            "t1",
            CredentialKind::ApiToken,
            Some("kobo sync"),
            None,
        )
        .expect("token");
    let c = store
        .credential("t1", Utc::now())
        .expect("read")
        .expect("valid");
    assert_eq!(c.account.username, "sokha");
    assert_eq!(c.kind, CredentialKind::ApiToken);
    store
        .set_account_disabled("admin", "sokha", true)
        .expect("disable");
    assert!(store.credential("t1", Utc::now()).expect("read").is_none());
    assert!(
        store.password_hash("sokha").expect("hash").is_none(),
        "disabled cannot log in"
    );
    store
        .set_account_disabled("admin", "sokha", false)
        .expect("enable");
    assert!(
        store.credential("t1", Utc::now()).expect("read").is_none(),
        "revoked for good"
    );
    let err = store
        .set_account_disabled("admin", "ghost", true)
        .expect_err("unknown user");
    assert!(err.to_string().contains("no user `ghost`"), "{err}");
}

fn sessions_expire_and_password_reset_revokes_them<S: AccountStore>(mut store: S) {
    store
        .add_account("admin", &new("sokha", Role::Viewer))
        .expect("add");
    let now = Utc::now();
    store
        .add_credential(
            "sokha",
            "s1",
            CredentialKind::Session,
            None,
            Some(now + Duration::hours(8)),
        )
        .expect("session");
    assert!(store.credential("s1", now).expect("read").is_some());
    assert!(
        store
            .credential("s1", now + Duration::hours(9))
            .expect("read")
            .is_none()
    );
    store
        .set_password_hash("admin", "sokha", "$argon2id$new")
        .expect("reset");
    assert!(store.credential("s1", now).expect("read").is_none());
    assert_eq!(
        store.password_hash("sokha").expect("hash").as_deref(),
        Some("$argon2id$new")
    );
    store
        .add_credential("sokha", "s2", CredentialKind::Session, None, None)
        .expect("session");
    store.revoke_credential("sokha", "s2").expect("logout");
    assert!(store.credential("s2", now).expect("read").is_none());
}

fn login_failures_are_counted_and_audited<S: AccountStore + ProgrammeStore>(mut store: S) {
    let since = Utc::now() - Duration::minutes(15);
    for _ in 0..3 {
        store
            .record_login("sokha", false, "wrong password")
            .expect("record");
    }
    assert_eq!(
        store.login_failures_since("SOKHA", since).expect("count"),
        3
    );
    assert_eq!(store.login_failures_since("dara", since).expect("count"), 0);
    store
        .record_login("sokha", true, "password")
        .expect("record");
    assert_eq!(
        store.login_failures_since("sokha", since).expect("count"),
        0
    );
    store
        .record_audit("va-officer", "personal_data.read", "VIC-000001", None)
        .expect("audit");
    let log = store.audit_log().expect("log");
    let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "login.failure",
            "login.failure",
            "login.failure",
            "login.success",
            "personal_data.read"
        ]
    );
}

fn failed_logins_store_a_bounded_name_and_the_audit_log_pages<S: AccountStore + ProgrammeStore>(
    mut store: S,
) {
    // An anonymous stranger types a 4 MiB user name: the log keeps at most a user name's length.
    let huge = "x".repeat(4 << 20);
    store
        .record_login(&huge, false, &"y".repeat(1 << 20))
        .expect("record");
    let log = store.audit_log().expect("log");
    let line = log.last().expect("a line");
    assert!(line.actor.chars().count() <= 64, "{}", line.actor.len());
    assert!(line.target.chars().count() <= 200, "{}", line.target.len());
    assert!(
        line.detail
            .as_ref()
            .is_some_and(|d| d.chars().count() <= 1000)
    );
    let since = Utc::now() - Duration::minutes(15);
    assert_eq!(store.login_failures_since(&huge, since).expect("count"), 1);

    for i in 0..7 {
        let actor = if i % 2 == 0 { "dara" } else { "sokha" };
        store
            .record_audit(actor, "report.create", &format!("report:{i}"), None)
            .expect("audit");
    }
    let page = |q: AuditQuery| store.audit_page(&q).expect("page");
    let first = page(AuditQuery {
        limit: 3,
        ..AuditQuery::default()
    });
    assert_eq!(first.total, 8);
    let targets: Vec<_> = first.entries.iter().map(|e| e.target.as_str()).collect();
    assert_eq!(
        targets,
        ["report:6", "report:5", "report:4"],
        "newest first"
    );
    let before = first.next_before.expect("more pages");
    let rest = page(AuditQuery {
        limit: 10,
        before: Some(before),
        ..AuditQuery::default()
    });
    assert_eq!(rest.entries.len(), 5);
    assert_eq!(rest.next_before, None);
    let dara = page(AuditQuery {
        actor: Some("dara".into()),
        action: Some("report.".into()),
        since: Some(since),
        limit: 100,
        ..AuditQuery::default()
    });
    assert_eq!((dara.total, dara.entries.len()), (4, 4));
    let none = page(AuditQuery {
        action: Some("login.success".into()),
        limit: 100,
        ..AuditQuery::default()
    });
    assert_eq!(none.total, 0);
}

fn victim_assistance_accounts_need_a_second_administrator<
    S: AccountStore + AccountRequests + ProgrammeStore,
>(
    mut store: S,
) {
    let va = new("va-officer", Role::VictimAssistance);
    let id = store
        .request_account_change("admin-a", AccountAction::Create, &va)
        .expect("request");
    assert!(
        store.account("va-officer").expect("read").is_none(),
        "not yet"
    );
    let err = store
        .confirm_account_request("ADMIN-A", id, "$argon2id$new")
        .expect_err("the requester cannot confirm");
    assert!(err.to_string().contains("second administrator"), "{err}");
    assert_eq!(store.account_requests().expect("pending").len(), 1);
    let done = store
        .confirm_account_request("admin-b", id, "$argon2id$new")
        .expect("confirmed");
    assert_eq!(done.role, Role::VictimAssistance);
    assert_eq!(
        store.password_hash("va-officer").expect("hash").as_deref(),
        Some("$argon2id$new")
    );
    assert!(store.account_requests().expect("pending").is_empty());
    store
        .confirm_account_request("admin-c", id, "$argon2id$again")
        .expect_err("confirmed once only");

    let reset = store
        .request_account_change("admin-b", AccountAction::ResetPassword, &va)
        .expect("request");
    store
        .confirm_account_request("admin-a", reset, "$argon2id$reset")
        .expect("confirmed");
    assert_eq!(
        store.password_hash("va-officer").expect("hash").as_deref(),
        Some("$argon2id$reset")
    );
    store
        .request_account_change("admin-a", AccountAction::Create, &va)
        .expect_err("the account exists");
    let actions: Vec<String> = (store.audit_log().expect("log").into_iter())
        .map(|e| format!("{} {}", e.actor, e.action))
        .collect();
    for line in [
        "admin-a account.request",
        "admin-b account.create",
        "admin-b account.request_confirm",
        "admin-a account.password_reset",
    ] {
        assert!(
            actions.iter().any(|a| a == line),
            "{line} missing: {actions:?}"
        );
    }
}

fn hub_roles_exist_only_on_a_hub_and_a_national_viewer_names_its_node<
    S: AccountStore + HubStore,
>(
    mut store: S,
) {
    let viewer = |name: &str, organisation: &str| NewAccount {
        organisation: organisation.into(),
        ..new(name, Role::NationalViewer)
    };
    let err = store
        .add_account("admin", &new("analyst", Role::RegionalAnalyst))
        .expect_err("no hub yet");
    assert!(err.to_string().contains("only on a regional hub"), "{err}");
    store.make_hub("admin").expect("hub");
    store
        .add_node(
            "admin",
            &NewHubNode {
                node: "KHM".into(),
                name: "Cambodia".into(),
                card: r#"{"node":"KHM","name":"Cambodia"}"#.into(),
            },
        )
        .expect("node");
    let analyst = store
        .add_account("admin", &new("analyst", Role::RegionalAnalyst))
        .expect("an analyst on a hub");
    assert_eq!(analyst.role, Role::RegionalAnalyst);
    let err = store
        .add_account("admin", &viewer("lao-viewer", "LAO"))
        .expect_err("LAO is no node");
    assert!(
        err.to_string()
            .contains("`LAO` is no node of this hub (nodes: KHM)"),
        "{err}"
    );
    assert!(store.account("lao-viewer").expect("read").is_none());
    let khm = store
        .add_account("admin", &viewer("khm-viewer", "KHM"))
        .expect("a viewer of a node");
    assert_eq!(
        (khm.role, khm.organisation.as_str()),
        (Role::NationalViewer, "KHM")
    );
    assert_eq!(
        store.account("khm-viewer").expect("read").map(|a| a.role),
        Some(Role::NationalViewer)
    );
}
