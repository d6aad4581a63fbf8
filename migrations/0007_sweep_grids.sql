-- exp runs.db schema: every grid version a sweep has seen, and its planned cells.
--   sweep_grids: one row per grid version of a sweep (docs/sweeps.md, "Extending a sweep"):
--                its canonical JSON and that JSON's SHA-256, the file's text as given, when it
--                was first seen and which cell indices it added.
--   sweeps:      + planned_cells, the search cells of every grid version so far, and
--                queued_cells, how many of them are written as runs (cells are queued in
--                batches, lowest cell index first). Both start as the sweep's search runs: every
--                earlier sweep queued all of its cells at once.
-- Only adds: a table and two columns. Earlier sweeps get their first grid version when a later
-- `exp sweep` opens them (the canonical form needs the grid parser).
CREATE TABLE sweep_grids (
    sweep_id          INTEGER NOT NULL REFERENCES sweeps (sweep_id) ON DELETE CASCADE,
    version           INTEGER NOT NULL CHECK (version >= 1),           -- 1 for the grid that created the sweep
    canonical         TEXT    NOT NULL CHECK (json_valid(canonical)),  -- the parsed grid, keys sorted
    canonical_sha256  TEXT    NOT NULL CHECK (length(canonical_sha256) = 64),
    grid              TEXT    NOT NULL,                                -- the file's text exactly as given
    grid_path         TEXT,
    first_seen_at     TEXT    NOT NULL,
    first_cell_index  INTEGER NOT NULL CHECK (first_cell_index >= 0),  -- the first cell it added
    cells_added       INTEGER NOT NULL CHECK (cells_added >= 0),       -- cells first_cell_index ... + cells_added - 1
    PRIMARY KEY (sweep_id, version),
    UNIQUE (sweep_id, canonical_sha256)
);

ALTER TABLE sweeps ADD COLUMN planned_cells INTEGER NOT NULL DEFAULT 0 CHECK (planned_cells >= 0);
ALTER TABLE sweeps ADD COLUMN queued_cells INTEGER NOT NULL DEFAULT 0 CHECK (queued_cells >= 0);
UPDATE sweeps SET planned_cells = (SELECT COUNT(*) FROM runs WHERE runs.sweep_id = sweeps.sweep_id AND runs.phase = 'search'),
                  queued_cells = (SELECT COUNT(*) FROM runs WHERE runs.sweep_id = sweeps.sweep_id AND runs.phase = 'search');
