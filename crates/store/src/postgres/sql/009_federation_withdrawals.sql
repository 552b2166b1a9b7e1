-- Federation tombstones and reference data (issue 24): why each outbox entry was written (one
-- 'approval' upsert per version; tombstones and re-sent upserts of withdrawals and policy
-- changes), the terms per kind the node last shared under (JSON; NULL: never aligned), the
-- items withdrawn from sharing; on a node, the hub trusted for reference data and the set
-- adopted; on a hub, every reference set published. A hub's shared records become text: the
-- server never queries inside them, and parsing each into jsonb (every coordinate a numeric)
-- cost 10 of the 23 s of inserting 1,000,000 of them.
ALTER TABLE outbox ADD COLUMN cause text NOT NULL DEFAULT 'approval'
    CHECK (cause IN ('approval', 'withdrawal', 'reshare', 'policy'));
ALTER TABLE federation_node ADD COLUMN policy_terms text;

CREATE TABLE federation_withdrawn (
    item_id      text COLLATE "C" PRIMARY KEY REFERENCES item (id),
    reason       text NOT NULL,
    withdrawn_by text NOT NULL,
    withdrawn_at timestamptz NOT NULL
);

CREATE TABLE reference_source (
    id         integer PRIMARY KEY CHECK (id = 1),
    hub        text NOT NULL,
    card       text NOT NULL,
    version    bigint NOT NULL DEFAULT 0,
    document   text,
    ordnance   jsonb,
    adopted_at timestamptz
);

CREATE TABLE reference_published (
    version      bigint PRIMARY KEY,
    document     text NOT NULL,
    published_by text NOT NULL,
    published_at timestamptz NOT NULL
);

ALTER TABLE shared_record ALTER COLUMN record TYPE text USING record::text;
