-- exp runs.db schema, version 5: tags and notes, as MLflow has them (docs/schema.md, "Tags and
-- notes"). A tag is a key and a text value on one run (MLflow's run tags) or on one sweep
-- (MLflow's experiment tags); setting a key again replaces its value, and a tag can be deleted.
-- A note is one free text on a run or a sweep (MLflow's note, `mlflow.note.content`), replaced
-- when set again. They describe results and never change them: no other table refers to them.
--   run_tags, sweep_tags:   (run or sweep, key) -> value, updated_at
--   run_notes, sweep_notes: run or sweep -> note, updated_at
-- Keys: 1 to 250 characters of letters, digits and _ . - /, starting with a letter, a digit or
-- _ (MLflow's characters without the space); values at most 8000 characters (MLflow's limit).
-- Deleting a run or a sweep deletes its tags and note.

CREATE TABLE run_tags (
    run_id      INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    key         TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 250 AND key GLOB '[A-Za-z0-9_]*'
                                        AND key NOT GLOB '*[^A-Za-z0-9_./-]*'),
    value       TEXT    NOT NULL CHECK (length(value) <= 8000),
    updated_at  TEXT    NOT NULL,   -- when the value was last set (UTC)
    PRIMARY KEY (run_id, key)
);
CREATE INDEX run_tags_by_key ON run_tags (key, value);

CREATE TABLE sweep_tags (
    sweep_id    INTEGER NOT NULL REFERENCES sweeps (sweep_id) ON DELETE CASCADE,
    key         TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 250 AND key GLOB '[A-Za-z0-9_]*'
                                        AND key NOT GLOB '*[^A-Za-z0-9_./-]*'),
    value       TEXT    NOT NULL CHECK (length(value) <= 8000),
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (sweep_id, key)
);
CREATE INDEX sweep_tags_by_key ON sweep_tags (key, value);

CREATE TABLE run_notes (
    run_id      INTEGER PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
    note        TEXT    NOT NULL CHECK (length(trim(note)) > 0),
    updated_at  TEXT    NOT NULL
);

CREATE TABLE sweep_notes (
    sweep_id    INTEGER PRIMARY KEY REFERENCES sweeps (sweep_id) ON DELETE CASCADE,
    note        TEXT    NOT NULL CHECK (length(trim(note)) > 0),
    updated_at  TEXT    NOT NULL
);
