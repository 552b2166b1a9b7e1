-- The training and certification register: people without their personal data (kept apart in
-- training_personal, read only by training officers, every read audited), course sessions by
-- IMAS competency with instructors and participants, assessments, and certificates whose
-- status is valid, suspended or withdrawn (expired is derived from expires_on); code is the
-- unguessable code of the public check.
CREATE TABLE training_person (
    person_id    text PRIMARY KEY,
    organisation text NOT NULL,
    sex          text NOT NULL,
    birth_year   integer NOT NULL,
    team         text,
    created_at   timestamptz NOT NULL
);
CREATE INDEX training_person_team ON training_person (team);

CREATE TABLE training_personal (
    person_id   text PRIMARY KEY REFERENCES training_person (person_id),
    name        text NOT NULL,
    contact     text,
    national_id text
);

CREATE TABLE training_session (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    competency   text NOT NULL,
    organisation text NOT NULL,
    place        text NOT NULL,
    start_date   date NOT NULL,
    end_date     date NOT NULL,
    created_at   timestamptz NOT NULL
);

CREATE TABLE training_instructor (
    session_id bigint NOT NULL REFERENCES training_session (id),
    person_id  text NOT NULL REFERENCES training_person (person_id),
    PRIMARY KEY (session_id, person_id)
);

CREATE TABLE training_enrolment (
    session_id bigint NOT NULL REFERENCES training_session (id),
    person_id  text NOT NULL REFERENCES training_person (person_id),
    PRIMARY KEY (session_id, person_id)
);

CREATE TABLE training_assessment (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  bigint NOT NULL REFERENCES training_session (id),
    person_id   text NOT NULL REFERENCES training_person (person_id),
    passed      boolean NOT NULL,
    score       double precision,
    assessed_on date NOT NULL,
    assessor    text NOT NULL,
    recorded_by text NOT NULL,
    UNIQUE (session_id, person_id)
);

CREATE TABLE training_certificate (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL UNIQUE,
    person_id     text NOT NULL REFERENCES training_person (person_id),
    competency    text NOT NULL,
    issued_on     date NOT NULL,
    expires_on    date NOT NULL,
    assessment_id bigint NOT NULL REFERENCES training_assessment (id),
    status        text NOT NULL,
    status_reason text,
    status_date   date,
    issued_by     text NOT NULL
);
CREATE INDEX training_certificate_person ON training_certificate (person_id);
