-- Regional hub (issue 24): the one row of `hub` marks a programme as a hub; `hub_node` holds
-- the nodes' cards (with their public key) and the last seq applied; `shared_record` the latest
-- revision of every record a node shares, de-identified by the node.
CREATE TABLE hub (
    id        integer PRIMARY KEY CHECK (id = 1),
    marked_at timestamptz NOT NULL
);

CREATE TABLE hub_node (
    node               text COLLATE "C" PRIMARY KEY,
    name               text NOT NULL,
    card               jsonb NOT NULL,
    checkpoint         bigint NOT NULL DEFAULT 0,
    last_bundle_at     timestamptz,
    last_bundle_sha256 text,
    added_at           timestamptz NOT NULL
);

CREATE TABLE shared_record (
    node        text COLLATE "C" NOT NULL REFERENCES hub_node (node),
    item_uuid   text COLLATE "C" NOT NULL,
    kind        text NOT NULL,
    revision    bigint NOT NULL,
    record      jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    seq         bigint NOT NULL,
    PRIMARY KEY (node, item_uuid)
);
CREATE INDEX shared_record_kind ON shared_record (kind, node, item_uuid);
