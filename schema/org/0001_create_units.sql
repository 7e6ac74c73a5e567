-- Organisation units form one tree of any depth: university -> faculty -> department -> group.
-- A unit without a parent is a root.
CREATE TABLE units (
    id         uuid PRIMARY KEY,
    parent_id  uuid REFERENCES units (id) ON DELETE RESTRICT,
    kind       text NOT NULL CHECK (kind IN ('university', 'faculty', 'department', 'group')),
    name       text NOT NULL CHECK (name <> ''),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id <> id)
);

CREATE INDEX units_parent_id ON units (parent_id);

-- A user holds at most one role in a unit. user_id refers to identity's users; the modules
-- share no tables, so there is no foreign key.
CREATE TABLE memberships (
    unit_id    uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    user_id    uuid NOT NULL,
    role       text NOT NULL CHECK (role IN ('student', 'teacher', 'head', 'admin')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_id, user_id)
);

CREATE INDEX memberships_user_id ON memberships (user_id);
