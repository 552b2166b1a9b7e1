-- The document library: documents and their versions; a version is a file in the library
-- folder named by its SHA-256 (one file once in the whole library) or a link, with the text
-- extracted for search.
CREATE TABLE library_document (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uuid         text NOT NULL UNIQUE,
    title        text NOT NULL,
    language     text NOT NULL,
    country      text,
    doc_type     text NOT NULL,
    imas_topic   text,
    access       text NOT NULL CHECK (access IN ('public', 'regional', 'national')),
    organisation text,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE library_version (
    document    bigint NOT NULL REFERENCES library_document (id),
    version     bigint NOT NULL,
    file_name   text,
    media_type  text NOT NULL,
    size_bytes  bigint NOT NULL,
    sha256      text,
    link        text,
    note        text,
    text        text NOT NULL,
    uploaded_by text NOT NULL,
    uploaded_at timestamptz NOT NULL,
    PRIMARY KEY (document, version),
    CHECK ((sha256 IS NULL) <> (link IS NULL))
);
CREATE UNIQUE INDEX library_version_sha256 ON library_version (sha256) WHERE sha256 IS NOT NULL;
CREATE UNIQUE INDEX library_version_link ON library_version (link) WHERE link IS NOT NULL;
