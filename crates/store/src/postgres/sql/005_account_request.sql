-- Changes of victim-assistance accounts (creation, password reset) requested by one
-- administrator and waiting for a second one to confirm them.
CREATE TABLE account_request (
    id           bigint PRIMARY KEY,
    action       text NOT NULL CHECK (action IN ('create', 'reset_password')),
    username     text NOT NULL,
    display_name text NOT NULL,
    organisation text NOT NULL,
    role         text NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    status       text NOT NULL CHECK (status IN ('pending', 'confirmed'))
);
