-- Emergency access to victims' personal data: opened by one user saying why, for a few
-- minutes at most, closed early or left to expire, then reviewed by someone else.
CREATE TABLE break_glass (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    holder      text NOT NULL,
    reason      text NOT NULL,
    opened_at   timestamptz NOT NULL,
    until       timestamptz NOT NULL,
    closed_at   timestamptz,
    closed_by   text,
    reviewed_at timestamptz,
    reviewed_by text,
    review_note text
);
CREATE INDEX break_glass_holder ON break_glass (holder, until);
