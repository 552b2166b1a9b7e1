-- Federation tombstones (issue 24): why each outbox entry was written (one 'approval' upsert
-- per version; tombstones and re-sent upserts of withdrawals and policy changes), the terms per
-- kind the node last shared under (JSON; NULL: never aligned), and the items withdrawn from
-- sharing.
ALTER TABLE outbox ADD COLUMN cause text NOT NULL DEFAULT 'approval'
    CHECK (cause IN ('approval', 'withdrawal', 'reshare', 'policy'));
ALTER TABLE federation_node ADD COLUMN policy_terms text;

CREATE TABLE federation_withdrawn (
    item_id      text COLLATE "C" PRIMARY KEY REFERENCES item (id),
    reason       text NOT NULL,
    withdrawn_by text NOT NULL,
    withdrawn_at timestamptz NOT NULL
);
