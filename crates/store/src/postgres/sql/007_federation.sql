-- Federation (issue 24): every item's global identity, the outbox of what the programme shares
-- and its node id. Existing items get a random UUID; every version already approved goes into
-- the outbox in approval order (version ids), each item's revisions counted from 1, so a
-- first export shares the whole programme.
ALTER TABLE item ADD COLUMN uuid text COLLATE "C";
UPDATE item SET uuid = gen_random_uuid()::text;
ALTER TABLE item ALTER COLUMN uuid SET NOT NULL;
CREATE UNIQUE INDEX item_uuid ON item (uuid);

-- One row per approved item version, written in the approval's transaction. `seq` is the
-- largest plus 1, decided under the writer lock: gap-free in commit order.
CREATE TABLE outbox (
    seq        bigint PRIMARY KEY,
    item_id    text COLLATE "C" NOT NULL REFERENCES item (id),
    version_id bigint REFERENCES item_version (id),  -- NULL only for a tombstone
    revision   integer NOT NULL,
    operation  text NOT NULL CHECK (operation IN ('upsert', 'tombstone')),
    CHECK ((operation = 'upsert') = (version_id IS NOT NULL))
);
INSERT INTO outbox (seq, item_id, version_id, revision, operation)
SELECT row_number() OVER (ORDER BY id), item_id, id,
       row_number() OVER (PARTITION BY item_id ORDER BY id), 'upsert'
FROM item_version ORDER BY id;

-- The programme's node id, and how far an export has shared the outbox.
CREATE TABLE federation_node (
    id             integer PRIMARY KEY CHECK (id = 1),
    node           text NOT NULL,
    shared_through bigint NOT NULL DEFAULT 0
);
