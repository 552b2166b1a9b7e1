-- Evidence (issue 28): orthophotos (metadata; the image file lives in a folder the server
-- manages), AI detection runs and their detections with people's verdicts (a confirmed one
-- links to the submitted report of its EO find), machine and robot tracks with the coverage
-- computed from them. Geometries are WGS84 (SRID 4326); lists are JSON text.
CREATE TABLE orthophoto (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL,
    file         text NOT NULL,
    sha256       text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    width        bigint NOT NULL CHECK (width > 0),
    height       bigint NOT NULL CHECK (height > 0),
    bands        bigint NOT NULL CHECK (bands > 0),
    epsg         bigint NOT NULL,
    geotransform text NOT NULL,
    footprint    geometry(Polygon, 4326) NOT NULL,
    resolution_m double precision NOT NULL,
    captured_on  date,
    hazards      text NOT NULL,
    activity     text COLLATE "C",
    organisation text COLLATE "C",
    added_by     text NOT NULL,
    added_at     timestamptz NOT NULL
);

CREATE TABLE detection_run (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    orthophoto_id bigint REFERENCES orthophoto (id),
    model         text COLLATE "C" NOT NULL,
    model_version text COLLATE "C" NOT NULL,
    format        text NOT NULL,
    source_name   text NOT NULL,
    organisation  text COLLATE "C",
    detections    bigint NOT NULL CHECK (detections >= 0),
    dropped       text NOT NULL,
    added_by      text NOT NULL,
    added_at      timestamptz NOT NULL
);

CREATE TABLE detection (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES detection_run (id),
    class        text COLLATE "C" NOT NULL,
    confidence   double precision NOT NULL,
    location     geometry(Point, 4326) NOT NULL,
    footprint    geometry(Polygon, 4326),
    pixel_bbox   text,
    verdict      text NOT NULL DEFAULT 'pending'
                 CHECK (verdict IN ('pending', 'confirmed', 'false_positive', 'not_verifiable')),
    verdict_by   text,
    verdict_at   timestamptz,
    verdict_note text,
    report_id    bigint REFERENCES report (id),
    eo_find      text COLLATE "C"
);
CREATE INDEX detection_of_run ON detection (run_id);
CREATE INDEX detection_triage ON detection (verdict, confidence DESC, id);

CREATE TABLE machine_track (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    activity             text COLLATE "C" NOT NULL,
    machine              text NOT NULL,
    kind                 text NOT NULL CHECK (kind IN ('machine', 'robot')),
    working_width_m      double precision NOT NULL,
    source_name          text NOT NULL,
    format               text NOT NULL,
    fixes                bigint NOT NULL CHECK (fixes >= 0),
    fixes_used           bigint NOT NULL CHECK (fixes_used >= 0),
    dropped              text NOT NULL,
    task_m2              double precision NOT NULL,
    processed_m2         double precision NOT NULL,
    processed_outside_m2 double precision NOT NULL,
    coverage_pct         double precision NOT NULL,
    overlap_m2           double precision NOT NULL,
    gap_m2               double precision NOT NULL,
    engaged_length_m     double precision NOT NULL,
    started_at           timestamptz,
    ended_at             timestamptz,
    organisation         text COLLATE "C",
    added_by             text NOT NULL,
    added_at             timestamptz NOT NULL,
    task                 geometry(MultiPolygon, 4326) NOT NULL,
    processed            geometry(MultiPolygon, 4326) NOT NULL,
    gaps                 geometry(MultiPolygon, 4326) NOT NULL,
    overlap_area         geometry(MultiPolygon, 4326) NOT NULL,
    line                 geometry(MultiLineString, 4326) NOT NULL
);
CREATE INDEX machine_track_activity ON machine_track (activity, id);

-- At a hub: each node's latest signed detector summary (metrics only, no locations).
CREATE TABLE hub_detector_summary (
    node         text COLLATE "C" PRIMARY KEY REFERENCES hub_node (node),
    generated_at timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    document     text NOT NULL
);
