-- Safeground embedded store, schema version 13 (version 1 lacked report.revision and accounts;
-- 3 added import checkpoints, 4 hazard_current.name, 5 item_version.geometry, 6
-- report_personal_data, 7 account_request, 8 break_glass, 9 item.uuid, outbox and
-- federation_node, 10 hub, hub_node and shared_record, 11 outbox.cause,
-- federation_node.policy_terms, federation_withdrawn, reference_source and
-- reference_published, 12 the library and the training register, 13 ordnance_page,
-- hub_training_summary and library_origin).
-- Contract: reports are never deleted; item versions are immutable (valid time = date of
-- information, transaction time = approval time); `hazard_current` and `released_area` are
-- derived caches rebuilt in the same transaction as the approval that changes them.

CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS report (
    id                  INTEGER PRIMARY KEY,
    organisation        TEXT,
    title               TEXT NOT NULL,
    source              TEXT,
    date_of_information TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    body                TEXT NOT NULL,            -- JSON: [ReportEntry]
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    submitted_by        TEXT,
    submitted_at        TEXT,
    decided_by          TEXT,
    decided_at          TEXT,
    decision_comment    TEXT,
    revision            INTEGER NOT NULL DEFAULT 1  -- optimistic concurrency (ETag)
);
CREATE INDEX IF NOT EXISTS report_status ON report (status, id);

CREATE TABLE IF NOT EXISTS id_counter (
    prefix TEXT PRIMARY KEY,
    last   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS item (
    id         TEXT PRIMARY KEY,                 -- e.g. HAZ-000123
    kind       TEXT NOT NULL,
    local_id   TEXT NOT NULL,
    created_by_report INTEGER NOT NULL REFERENCES report (id),
    uuid       TEXT NOT NULL                     -- global identity (schema 9): random v4 UUID
);
CREATE INDEX IF NOT EXISTS item_kind ON item (kind, id);
CREATE INDEX IF NOT EXISTS item_local_id ON item (local_id);
CREATE UNIQUE INDEX IF NOT EXISTS item_uuid ON item (uuid);

CREATE TABLE IF NOT EXISTS item_version (
    id          INTEGER PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES item (id),
    report_id   INTEGER NOT NULL REFERENCES report (id),
    entry_index INTEGER NOT NULL,
    valid_from  TEXT NOT NULL,                   -- date of information (valid time)
    recorded_at TEXT NOT NULL,                   -- approval time (transaction time)
    record      TEXT NOT NULL,                   -- JSON: safeground_model::Record
    geometry    BLOB                             -- WKB MultiPolygon: a hazard's polygons, kept
                                                 -- out of `record` ("geometry": null there);
                                                 -- NULL for other kinds and before schema 5
);
CREATE INDEX IF NOT EXISTS item_version_item ON item_version (item_id, valid_from, recorded_at);
CREATE INDEX IF NOT EXISTS item_version_recorded ON item_version (recorded_at);
CREATE INDEX IF NOT EXISTS item_version_report ON item_version (report_id);

-- Item-to-item references of each version (activity -> hazard, victim -> accident, ...).
CREATE TABLE IF NOT EXISTS item_link (
    version_id INTEGER NOT NULL REFERENCES item_version (id),
    from_item  TEXT NOT NULL REFERENCES item (id),
    field      TEXT NOT NULL,
    to_item    TEXT NOT NULL REFERENCES item (id)
);
CREATE INDEX IF NOT EXISTS item_link_to ON item_link (to_item, field);

-- Victims' personal data live apart from every other table (reference §6.6).
CREATE TABLE IF NOT EXISTS victim_personal_data (
    id          INTEGER PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES item (id),
    report_id   INTEGER NOT NULL REFERENCES report (id),
    valid_from  TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS victim_personal_data_item ON victim_personal_data (item_id);

-- Victims' personal data entered in reports (schema 6), one row per report entry: never in
-- `report.body`.
CREATE TABLE IF NOT EXISTS report_personal_data (
    report_id   INTEGER NOT NULL REFERENCES report (id),
    entry_index INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (report_id, entry_index)
);

-- Derived current state of every hazard (rebuilt on each approval touching it).
CREATE TABLE IF NOT EXISTS hazard_current (
    rowid_key      INTEGER PRIMARY KEY,          -- key of hazard_rtree
    item_id        TEXT NOT NULL UNIQUE REFERENCES item (id),
    class          TEXT NOT NULL,
    status         TEXT NOT NULL,
    admin_pcode    TEXT,
    organisation   TEXT,
    reported_m2    REAL,
    original_m2    REAL NOT NULL,
    cancelled_m2   REAL NOT NULL,
    reduced_m2     REAL NOT NULL,
    cleared_m2     REAL NOT NULL,
    remaining_m2   REAL NOT NULL,
    geometry       BLOB,                         -- WKB MultiPolygon, WGS 84
    remaining      BLOB,                         -- WKB MultiPolygon, WGS 84
    valid_from     TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    name           TEXT                          -- the hazard's name (schema 4)
);
CREATE INDEX IF NOT EXISTS hazard_current_admin ON hazard_current (admin_pcode);
CREATE VIRTUAL TABLE IF NOT EXISTS hazard_rtree USING rtree (id, minx, maxx, miny, maxy);

CREATE TABLE IF NOT EXISTS audit (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT
);

-- User accounts (issue 3). Passwords are argon2 PHC strings; tokens are stored hashed.
CREATE TABLE IF NOT EXISTS account (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name  TEXT NOT NULL,
    organisation  TEXT NOT NULL,                -- organisation local id, e.g. ORG-HALO
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS credential (
    token_hash  TEXT PRIMARY KEY,               -- SHA-256 of the bearer secret, hex
    account_id  INTEGER NOT NULL REFERENCES account (id),
    kind        TEXT NOT NULL CHECK (kind IN ('session', 'api_token')),
    label       TEXT,
    created_at  TEXT NOT NULL,
    expires_at  TEXT                            -- NULL: until revoked
);
CREATE INDEX IF NOT EXISTS credential_account ON credential (account_id);

-- Changes of victim-assistance accounts (creation, password reset) requested by one
-- administrator and waiting for a second one to confirm them (schema 7).
CREATE TABLE IF NOT EXISTS account_request (
    id           INTEGER PRIMARY KEY,
    action       TEXT NOT NULL CHECK (action IN ('create', 'reset_password')),
    username     TEXT NOT NULL,
    display_name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    role         TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'confirmed'))
);

-- Emergency access to victims' personal data (schema 8): opened by one user saying why, for
-- a few minutes at most, closed early or left to expire, then reviewed by someone else.
CREATE TABLE IF NOT EXISTS break_glass (
    id          INTEGER PRIMARY KEY,
    holder      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    opened_at   TEXT NOT NULL,
    until       TEXT NOT NULL,
    closed_at   TEXT,
    closed_by   TEXT,
    reviewed_at TEXT,
    reviewed_by TEXT,
    review_note TEXT
);
CREATE INDEX IF NOT EXISTS break_glass_holder ON break_glass (holder, until);

-- Federation (schema 9): what this programme shares with a regional hub. One row per approved
-- item version, written in the approval's transaction; `seq` is gap-free in commit order
-- (rows are never deleted, and SQLite has one writer at a time). `revision` counts an item's
-- versions in approval order from 1. Victims' personal data never come here.
CREATE TABLE IF NOT EXISTS outbox (
    seq        INTEGER PRIMARY KEY,
    item_id    TEXT NOT NULL REFERENCES item (id),
    version_id INTEGER REFERENCES item_version (id),  -- NULL only for a tombstone
    revision   INTEGER NOT NULL,
    operation  TEXT NOT NULL CHECK (operation IN ('upsert', 'tombstone')),
    -- Schema 11: why the entry was written (crate::outbox::Cause): one 'approval' upsert per
    -- version; tombstones and re-sent upserts of withdrawals and policy changes.
    cause      TEXT NOT NULL DEFAULT 'approval'
               CHECK (cause IN ('approval', 'withdrawal', 'reshare', 'policy')),
    CHECK ((operation = 'upsert') = (version_id IS NOT NULL))
);

-- The programme's node id in a federation, how far an export has shared the outbox, and
-- (schema 11) the terms per kind it last shared under (JSON; NULL: never aligned).
CREATE TABLE IF NOT EXISTS federation_node (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    node           TEXT NOT NULL,
    shared_through INTEGER NOT NULL DEFAULT 0,
    policy_terms   TEXT
);

-- Items withdrawn from sharing (schema 11): a tombstone was sent, their versions are withheld.
CREATE TABLE IF NOT EXISTS federation_withdrawn (
    item_id      TEXT PRIMARY KEY REFERENCES item (id),
    reason       TEXT NOT NULL,
    withdrawn_by TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL
);

-- Reference data (schema 11, crate::reference). On a node: the hub trusted (its card) and the
-- reference set adopted (signed document, and its ordnance models as JSON).
CREATE TABLE IF NOT EXISTS reference_source (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    hub        TEXT NOT NULL,
    card       TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 0,
    document   TEXT,
    ordnance   TEXT,
    adopted_at TEXT
);

-- On a hub: every reference set it published, versions 1, 2, 3 … (signed documents).
CREATE TABLE IF NOT EXISTS reference_published (
    version      INTEGER PRIMARY KEY,
    document     TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL
);

-- Regional hub (schema 10): the one row marks a programme as a hub (`safeground hub init`).
CREATE TABLE IF NOT EXISTS hub (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    marked_at TEXT NOT NULL
);

-- The nodes a hub takes bundles from: their card (JSON, with the public key) and the last seq
-- applied, with the last bundle's time and payload SHA-256.
CREATE TABLE IF NOT EXISTS hub_node (
    node               TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    card               TEXT NOT NULL,
    checkpoint         INTEGER NOT NULL DEFAULT 0,
    last_bundle_at     TEXT,
    last_bundle_sha256 TEXT,
    added_at           TEXT NOT NULL
);

-- The latest revision of every record a node shares, de-identified by the node (JSON).
CREATE TABLE IF NOT EXISTS shared_record (
    node        TEXT NOT NULL REFERENCES hub_node (node),
    item_uuid   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    record      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (node, item_uuid)
);
CREATE INDEX IF NOT EXISTS shared_record_kind ON shared_record (kind, node, item_uuid);

CREATE TABLE IF NOT EXISTS login_failure (
    username TEXT NOT NULL COLLATE NOCASE,
    at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failure_user ON login_failure (username, at);

-- Import checkpoints (schema 3): how far an import of one source has been written, updated in
-- the same transaction as each batch, so an interrupted import resumes where it stopped.
CREATE TABLE IF NOT EXISTS import_checkpoint (
    key        TEXT PRIMARY KEY,                -- digest of the source file and its mapping
    position   INTEGER NOT NULL,                -- source records written (or refused) so far
    updated_at TEXT NOT NULL
);

-- The document library (schema 12): documents and their versions; a version is a file in the
-- library folder named by its SHA-256 (one file once in the whole library) or a link, with the
-- text extracted for search.
CREATE TABLE IF NOT EXISTS library_document (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    language     TEXT NOT NULL,
    country      TEXT,
    doc_type     TEXT NOT NULL,
    imas_topic   TEXT,
    access       TEXT NOT NULL CHECK (access IN ('public', 'regional', 'national')),
    organisation TEXT,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS library_version (
    document    INTEGER NOT NULL REFERENCES library_document (id),
    version     INTEGER NOT NULL,
    file_name   TEXT,
    media_type  TEXT NOT NULL,
    size_bytes  INTEGER NOT NULL,
    sha256      TEXT,
    link        TEXT,
    note        TEXT,
    text        TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (document, version),
    CHECK ((sha256 IS NULL) <> (link IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS library_version_sha256 ON library_version (sha256)
    WHERE sha256 IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS library_version_link ON library_version (link)
    WHERE link IS NOT NULL;

-- The training and certification register (schema 12). People without their personal data
-- (kept apart in training_personal, read only by training officers, every read audited),
-- course sessions by IMAS competency with instructors and participants, assessments, and
-- certificates whose status is valid, suspended or withdrawn (expired is derived from
-- expires_on); code is the unguessable code of the public check.
CREATE TABLE IF NOT EXISTS training_person (
    person_id    TEXT PRIMARY KEY,
    organisation TEXT NOT NULL,
    sex          TEXT NOT NULL,
    birth_year   INTEGER NOT NULL,
    team         TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS training_person_team ON training_person (team);

CREATE TABLE IF NOT EXISTS training_personal (
    person_id   TEXT PRIMARY KEY REFERENCES training_person (person_id),
    name        TEXT NOT NULL,
    contact     TEXT,
    national_id TEXT
);

CREATE TABLE IF NOT EXISTS training_session (
    id           INTEGER PRIMARY KEY,
    competency   TEXT NOT NULL,
    organisation TEXT NOT NULL,
    place        TEXT NOT NULL,
    start_date   TEXT NOT NULL,
    end_date     TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS training_instructor (
    session_id INTEGER NOT NULL REFERENCES training_session (id),
    person_id  TEXT NOT NULL REFERENCES training_person (person_id),
    PRIMARY KEY (session_id, person_id)
);

CREATE TABLE IF NOT EXISTS training_enrolment (
    session_id INTEGER NOT NULL REFERENCES training_session (id),
    person_id  TEXT NOT NULL REFERENCES training_person (person_id),
    PRIMARY KEY (session_id, person_id)
);

CREATE TABLE IF NOT EXISTS training_assessment (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES training_session (id),
    person_id   TEXT NOT NULL REFERENCES training_person (person_id),
    passed      INTEGER NOT NULL,
    score       REAL,
    assessed_on TEXT NOT NULL,
    assessor    TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (session_id, person_id)
);

CREATE TABLE IF NOT EXISTS training_certificate (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    person_id     TEXT NOT NULL REFERENCES training_person (person_id),
    competency    TEXT NOT NULL,
    issued_on     TEXT NOT NULL,
    expires_on    TEXT NOT NULL,
    assessment_id INTEGER NOT NULL REFERENCES training_assessment (id),
    status        TEXT NOT NULL,
    status_reason TEXT,
    status_date   TEXT,
    issued_by     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS training_certificate_person ON training_certificate (person_id);

-- Schema 13. On a hub: the ordnance reference pages it edits and publishes in its reference
-- sets, one per catalogue model (the page as JSON; its photos are files in the library folder,
-- named by their SHA-256).
CREATE TABLE IF NOT EXISTS ordnance_page (
    model      TEXT PRIMARY KEY,
    page       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- On a hub: each node's latest training summary (aggregates without names, signed by the
-- node; the signed document as received).
CREATE TABLE IF NOT EXISTS hub_training_summary (
    node         TEXT PRIMARY KEY REFERENCES hub_node (node),
    generated_at TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    document     TEXT NOT NULL
);

-- Library documents that came from another node (a node's regional document at the hub, a
-- hub's document at a node): the node that owns them (a document keeps its UUID and version
-- numbers everywhere; only its owner adds versions) and when the newest version arrived.
CREATE TABLE IF NOT EXISTS library_origin (
    document    INTEGER PRIMARY KEY REFERENCES library_document (id),
    node        TEXT NOT NULL,
    received_at TEXT NOT NULL
);

-- Schema 14. Operations planning: task orders (the task as JSON; team, days and whether it
-- books the team kept apart so a double booking is found by the database in the writing
-- transaction), settings (the prioritisation criteria as TOML) and layers criteria measure
-- against (GeoJSON FeatureCollections: settlements, roads, community requests).
CREATE TABLE IF NOT EXISTS planning_task (
    task_id       TEXT PRIMARY KEY,
    team          TEXT NOT NULL,
    status        TEXT NOT NULL
                  CHECK (status IN ('planned', 'issued', 'in_progress', 'suspended', 'completed')),
    planned_start TEXT NOT NULL,
    planned_end   TEXT NOT NULL,
    books         INTEGER NOT NULL CHECK (books IN (0, 1)),
    task          TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS planning_task_team ON planning_task (team, planned_start);

CREATE TABLE IF NOT EXISTS planning_setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS planning_layer (
    name        TEXT PRIMARY KEY,
    features    INTEGER NOT NULL,
    geojson     TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);

-- Schema 15. Offline field capture: files sent with a field submission, each attached to one
-- entry of its report (the entry's record kind and local id kept so that an approved item
-- lists its files; SHA-256 computed by the store), and the submissions received, by their
-- client-generated UUID with a digest of their content (a retry is stored once).
CREATE TABLE IF NOT EXISTS attachment (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES report (id),
    entry_index INTEGER NOT NULL CHECK (entry_index >= 0),
    kind        TEXT NOT NULL,
    local_id    TEXT NOT NULL,
    name        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    sha256      TEXT NOT NULL,
    caption     TEXT,
    bytes       BLOB NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attachment_report ON attachment (report_id, entry_index);
CREATE INDEX IF NOT EXISTS attachment_record ON attachment (kind, local_id);

CREATE TABLE IF NOT EXISTS field_submission (
    uuid         TEXT PRIMARY KEY,
    report_id    INTEGER NOT NULL UNIQUE REFERENCES report (id),
    digest       TEXT NOT NULL,
    form_version TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    received_at  TEXT NOT NULL
);

-- Evidence (issue 28): orthophotos (metadata; the image file lives in a folder the server
-- manages), AI detection runs and their detections with people's verdicts (a confirmed one
-- links to the submitted report of its EO find), machine and robot tracks with the coverage
-- computed from them. Geometries are WGS84 WKB; lists are JSON text.
CREATE TABLE IF NOT EXISTS orthophoto (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    file         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes >= 0),
    width        INTEGER NOT NULL CHECK (width > 0),
    height       INTEGER NOT NULL CHECK (height > 0),
    bands        INTEGER NOT NULL CHECK (bands > 0),
    epsg         INTEGER NOT NULL,
    geotransform TEXT NOT NULL,
    footprint    BLOB NOT NULL,
    resolution_m REAL NOT NULL,
    captured_on  TEXT,
    hazards      TEXT NOT NULL,
    activity     TEXT,
    organisation TEXT,
    added_by     TEXT NOT NULL,
    added_at     TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS detection_run (
    id            INTEGER PRIMARY KEY,
    orthophoto_id INTEGER REFERENCES orthophoto (id),
    model         TEXT NOT NULL,
    model_version TEXT NOT NULL,
    format        TEXT NOT NULL,
    source_name   TEXT NOT NULL,
    organisation  TEXT,
    detections    INTEGER NOT NULL CHECK (detections >= 0),
    dropped       TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    added_at      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS detection (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES detection_run (id),
    class        TEXT NOT NULL,
    confidence   REAL NOT NULL,
    location     BLOB NOT NULL,
    footprint    BLOB,
    pixel_bbox   TEXT,
    verdict      TEXT NOT NULL DEFAULT 'pending'
                 CHECK (verdict IN ('pending', 'confirmed', 'false_positive', 'not_verifiable')),
    verdict_by   TEXT,
    verdict_at   TEXT,
    verdict_note TEXT,
    report_id    INTEGER REFERENCES report (id),
    eo_find      TEXT
);
CREATE INDEX IF NOT EXISTS detection_of_run ON detection (run_id);
CREATE INDEX IF NOT EXISTS detection_triage ON detection (verdict, confidence DESC, id);

CREATE TABLE IF NOT EXISTS machine_track (
    id                   INTEGER PRIMARY KEY,
    activity             TEXT NOT NULL,
    machine              TEXT NOT NULL,
    kind                 TEXT NOT NULL CHECK (kind IN ('machine', 'robot')),
    working_width_m      REAL NOT NULL,
    source_name          TEXT NOT NULL,
    format               TEXT NOT NULL,
    fixes                INTEGER NOT NULL CHECK (fixes >= 0),
    fixes_used           INTEGER NOT NULL CHECK (fixes_used >= 0),
    dropped              TEXT NOT NULL,
    task_m2              REAL NOT NULL,
    processed_m2         REAL NOT NULL,
    processed_outside_m2 REAL NOT NULL,
    coverage_pct         REAL NOT NULL,
    overlap_m2           REAL NOT NULL,
    gap_m2               REAL NOT NULL,
    engaged_length_m     REAL NOT NULL,
    started_at           TEXT,
    ended_at             TEXT,
    organisation         TEXT,
    added_by             TEXT NOT NULL,
    added_at             TEXT NOT NULL,
    task                 BLOB NOT NULL,
    processed            BLOB NOT NULL,
    gaps                 BLOB NOT NULL,
    overlap_area         BLOB NOT NULL,
    line                 BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS machine_track_activity ON machine_track (activity, id);

-- At a hub: each node's latest signed detector summary (issue 28; metrics only, no locations).
CREATE TABLE IF NOT EXISTS hub_detector_summary (
    node         TEXT PRIMARY KEY REFERENCES hub_node (node),
    generated_at TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    document     TEXT NOT NULL
);
