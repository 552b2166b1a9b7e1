-- Safeground on PostgreSQL/PostGIS, schema version 1 (the same contract as SQLite's schema 3).
-- Reports are never deleted; item versions are immutable (valid time = date of information,
-- transaction time = approval time); `hazard_current` is a derived cache rebuilt in the same
-- transaction as the approval that changes it. Identifiers compare and sort bytewise
-- (COLLATE "C"), as in SQLite. Geometry is WGS 84 (SRID 4326) with GiST indexes, so SQL users
-- and QGIS can read items directly; areas are geodesic and computed by Safeground, not PostGIS.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE report (
    id                  bigint PRIMARY KEY,          -- max + 1 under the writer lock, as SQLite
    organisation        text COLLATE "C",
    title               text NOT NULL,
    source              text,
    date_of_information date NOT NULL,
    status              text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    body                jsonb NOT NULL,              -- [ReportEntry]
    created_by          text NOT NULL,
    created_at          timestamptz NOT NULL,
    submitted_by        text,
    submitted_at        timestamptz,
    decided_by          text,
    decided_at          timestamptz,
    decision_comment    text,
    revision            bigint NOT NULL DEFAULT 1    -- optimistic concurrency (ETag)
);
CREATE INDEX report_status ON report (status, id);

CREATE TABLE id_counter (
    prefix text COLLATE "C" PRIMARY KEY,
    last   bigint NOT NULL
);

CREATE TABLE item (
    id                text COLLATE "C" PRIMARY KEY,  -- e.g. HAZ-000123
    kind              text COLLATE "C" NOT NULL,
    local_id          text COLLATE "C" NOT NULL,
    created_by_report bigint NOT NULL REFERENCES report (id)
);
CREATE INDEX item_kind ON item (kind, id);
CREATE INDEX item_local_id ON item (local_id);

CREATE TABLE item_version (
    id          bigint PRIMARY KEY,                  -- max + 1: grows with every approval
    item_id     text COLLATE "C" NOT NULL REFERENCES item (id),
    report_id   bigint NOT NULL REFERENCES report (id),
    entry_index integer NOT NULL,
    valid_from  date NOT NULL,                       -- date of information (valid time)
    recorded_at timestamptz NOT NULL,                -- approval time (transaction time)
    record      jsonb NOT NULL,                      -- safeground_model::Record
    geom        geometry(Geometry, 4326)             -- the record's geometry, for SQL and QGIS
);
CREATE INDEX item_version_item ON item_version (item_id, valid_from, recorded_at);
CREATE INDEX item_version_recorded ON item_version (recorded_at);
CREATE INDEX item_version_report ON item_version (report_id);
CREATE INDEX item_version_geom ON item_version USING gist (geom);

-- Item-to-item references of each version (activity -> hazard, victim -> accident, ...).
CREATE TABLE item_link (
    version_id bigint NOT NULL REFERENCES item_version (id),
    from_item  text COLLATE "C" NOT NULL REFERENCES item (id),
    field      text COLLATE "C" NOT NULL,
    to_item    text COLLATE "C" NOT NULL REFERENCES item (id)
);
CREATE INDEX item_link_to ON item_link (to_item, field);

-- Victims' personal data live apart from every other table (reference §6.6).
CREATE TABLE victim_personal_data (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id     text COLLATE "C" NOT NULL REFERENCES item (id),
    report_id   bigint NOT NULL REFERENCES report (id),
    valid_from  date NOT NULL,
    recorded_at timestamptz NOT NULL,
    data        jsonb NOT NULL
);
CREATE INDEX victim_personal_data_item ON victim_personal_data (item_id);

-- Derived current state of every hazard (rebuilt on each approval touching it).
CREATE TABLE hazard_current (
    item_id      text COLLATE "C" PRIMARY KEY REFERENCES item (id),
    class        text NOT NULL,
    status       text NOT NULL,
    admin_pcode  text COLLATE "C",
    organisation text COLLATE "C",
    reported_m2  double precision,
    original_m2  double precision NOT NULL,
    cancelled_m2 double precision NOT NULL,
    reduced_m2   double precision NOT NULL,
    cleared_m2   double precision NOT NULL,
    remaining_m2 double precision NOT NULL,
    geometry     geometry(MultiPolygon, 4326),
    remaining    geometry(MultiPolygon, 4326),
    valid_from   date NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX hazard_current_admin ON hazard_current (admin_pcode);
CREATE INDEX hazard_current_geometry ON hazard_current USING gist (geometry);
CREATE INDEX hazard_current_remaining ON hazard_current USING gist (remaining);

-- The version in force of every item, for SQL users and QGIS.
CREATE VIEW item_current AS
SELECT DISTINCT ON (v.item_id)
       v.item_id, i.kind, i.local_id, v.report_id, v.valid_from, v.recorded_at, v.record, v.geom
FROM item_version v JOIN item i ON i.id = v.item_id
ORDER BY v.item_id, v.valid_from DESC, v.recorded_at DESC;

CREATE TABLE audit (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at     timestamptz NOT NULL,
    actor  text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    detail text
);

-- User accounts. Passwords are argon2 PHC strings; tokens are stored hashed. User names are
-- ASCII (check_username) and case-insensitive, as SQLite's COLLATE NOCASE.
CREATE TABLE account (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL,
    display_name  text NOT NULL,
    organisation  text NOT NULL,                     -- organisation local id, e.g. ORG-HALO
    role          text NOT NULL,
    password_hash text NOT NULL,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX account_username ON account (lower(username));

CREATE TABLE credential (
    token_hash  text PRIMARY KEY,                    -- SHA-256 of the bearer secret, hex
    account_id  bigint NOT NULL REFERENCES account (id),
    kind        text NOT NULL CHECK (kind IN ('session', 'api_token')),
    label       text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz                          -- NULL: until revoked
);
CREATE INDEX credential_account ON credential (account_id);

CREATE TABLE login_failure (
    username text NOT NULL,
    at       timestamptz NOT NULL
);
CREATE INDEX login_failure_user ON login_failure (lower(username), at);

-- Import checkpoints, moved in the same transaction as each batch.
CREATE TABLE import_checkpoint (
    key        text COLLATE "C" PRIMARY KEY,         -- digest of the source file and its mapping
    position   bigint NOT NULL,                      -- source records written (or refused) so far
    updated_at timestamptz NOT NULL
);
