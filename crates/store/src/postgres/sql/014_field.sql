-- Offline field capture: files sent with a field submission, each attached to one entry of
-- its report (the entry's record kind and local id kept so that an approved item lists its
-- files; SHA-256 computed by the store), and the submissions received, by their
-- client-generated UUID with a digest of their content (a retry is stored once).
CREATE TABLE attachment (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id   bigint NOT NULL REFERENCES report (id),
    entry_index bigint NOT NULL CHECK (entry_index >= 0),
    kind        text NOT NULL,
    local_id    text COLLATE "C" NOT NULL,
    name        text NOT NULL,
    media_type  text NOT NULL,
    size        bigint NOT NULL CHECK (size >= 0),
    sha256      text NOT NULL,
    caption     text,
    bytes       bytea NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);
-- Photos and PDFs are compressed already: stored out of line without another try.
ALTER TABLE attachment ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX attachment_report ON attachment (report_id, entry_index);
CREATE INDEX attachment_record ON attachment (kind, local_id);

CREATE TABLE field_submission (
    uuid         text COLLATE "C" PRIMARY KEY,
    report_id    bigint NOT NULL UNIQUE REFERENCES report (id),
    digest       text NOT NULL,
    form_version text NOT NULL,
    created_by   text NOT NULL,
    received_at  timestamptz NOT NULL
);
