-- Operations planning: task orders (the task as JSON; team, days and whether it books the
-- team kept apart so a double booking is found in the writing transaction), settings (the
-- prioritisation criteria as TOML) and layers criteria measure against (GeoJSON
-- FeatureCollections: settlements, roads, community requests).
CREATE TABLE planning_task (
    task_id       text COLLATE "C" PRIMARY KEY,
    team          text COLLATE "C" NOT NULL,
    status        text NOT NULL
                  CHECK (status IN ('planned', 'issued', 'in_progress', 'suspended', 'completed')),
    planned_start date NOT NULL,
    planned_end   date NOT NULL,
    books         boolean NOT NULL,
    task          text NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX planning_task_team ON planning_task (team, planned_start);

CREATE TABLE planning_setting (
    key        text COLLATE "C" PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);

CREATE TABLE planning_layer (
    name        text COLLATE "C" PRIMARY KEY,
    features    bigint NOT NULL,
    geojson     text NOT NULL,
    imported_at timestamptz NOT NULL,
    imported_by text NOT NULL
);
