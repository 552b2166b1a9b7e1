-- On a hub: the ordnance reference pages it edits and publishes in its reference sets, one per
-- catalogue model (the page as JSON; its photos are files in the library folder, named by
-- their SHA-256).
CREATE TABLE ordnance_page (
    model      text COLLATE "C" PRIMARY KEY,
    page       text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);

-- On a hub: each node's latest training summary (aggregates without names, signed by the
-- node; the signed document as received).
CREATE TABLE hub_training_summary (
    node         text COLLATE "C" PRIMARY KEY REFERENCES hub_node (node),
    generated_at timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    document     text NOT NULL
);

-- Library documents that came from another node (a node's regional document at the hub, a
-- hub's document at a node): the node that owns them (a document keeps its UUID and version
-- numbers everywhere; only its owner adds versions) and when the newest version arrived.
CREATE TABLE library_origin (
    document    bigint PRIMARY KEY REFERENCES library_document (id),
    node        text COLLATE "C" NOT NULL,
    received_at timestamptz NOT NULL
);
