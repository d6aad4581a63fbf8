-- exp runs.db schema, version 1.
-- Times are UTC ISO 8601 text ('2026-11-29T09:10:19.123Z'); durations are seconds (REAL);
-- accuracies are fractions in [0, 1]; losses are the mean cost per row.
-- SQLite stores NaN as NULL: a metric that was not finite is NULL and the run's status says why.

-- Data sets, stored whole by content hash so that any run can be reproduced from this file alone.
CREATE TABLE datasets (
    dataset_id     INTEGER PRIMARY KEY,
    sha256         TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
    name           TEXT    NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),   -- 1, 2, ... for new content under the same name
    source_path    TEXT,                                     -- the file it was imported from, as given
    row_count      INTEGER NOT NULL CHECK (row_count > 0),
    feature_count  INTEGER NOT NULL CHECK (feature_count > 0),
    class_count    INTEGER NOT NULL CHECK (class_count >= 2),
    feature_names  TEXT    NOT NULL CHECK (json_valid(feature_names)),  -- JSON array of strings
    class_names    TEXT    NOT NULL CHECK (json_valid(class_names)),    -- JSON array; label i is class_names[i]
    content        TEXT    NOT NULL,                                    -- canonical CSV: header, then rows, label last
    imported_at    TEXT    NOT NULL,
    UNIQUE (name, version)
);

-- One sweep: a grid file run over one data set.
CREATE TABLE sweeps (
    sweep_id      INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    dataset_id    INTEGER NOT NULL REFERENCES datasets (dataset_id),
    grid          TEXT    NOT NULL,                           -- the grid file exactly as given
    grid_sha256   TEXT    NOT NULL CHECK (length(grid_sha256) = 64),
    grid_path     TEXT,
    protocol      TEXT    NOT NULL CHECK (json_valid(protocol)),   -- {"test_fraction":..,"validation_fraction":..,"split_seed":..} or with "folds"
    created_at    TEXT    NOT NULL,
    tool_version  TEXT    NOT NULL
);

-- Row indices (0-based, into the data set's rows) of each split a run trained on.
CREATE TABLE splits (
    split_id         INTEGER PRIMARY KEY,
    dataset_id       INTEGER NOT NULL REFERENCES datasets (dataset_id),
    split_seed       INTEGER NOT NULL,
    protocol         TEXT    NOT NULL CHECK (json_valid(protocol)),
    fold             INTEGER NOT NULL CHECK (fold >= 0),      -- 0: holdout; 1..k: k-fold
    train_rows       TEXT    NOT NULL CHECK (json_valid(train_rows)),
    validation_rows  TEXT    NOT NULL CHECK (json_valid(validation_rows)),
    test_rows        TEXT    NOT NULL CHECK (json_valid(test_rows)),
    UNIQUE (dataset_id, protocol, fold)
);

-- One training run: a cell (configuration x seed x fold) of a sweep.
CREATE TABLE runs (
    run_id                     INTEGER PRIMARY KEY,
    sweep_id                   INTEGER NOT NULL REFERENCES sweeps (sweep_id) ON DELETE CASCADE,
    dataset_id                 INTEGER NOT NULL REFERENCES datasets (dataset_id),
    split_id                   INTEGER NOT NULL REFERENCES splits (split_id),
    cell_index                 INTEGER NOT NULL CHECK (cell_index >= 0),  -- stable order within the sweep
    config                     TEXT    NOT NULL CHECK (json_valid(config)), -- canonical JSON of every hyperparameter
    config_sha256              TEXT    NOT NULL CHECK (length(config_sha256) = 64),
    seed                       INTEGER NOT NULL,
    fold                       INTEGER NOT NULL DEFAULT 0 CHECK (fold >= 0),
    split_seed                 INTEGER NOT NULL,
    status                     TEXT    NOT NULL DEFAULT 'queued'
                               CHECK (status IN ('queued', 'running', 'finished', 'diverged', 'failed', 'interrupted')),
    attempt                    INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),   -- 1 on the first claim
    host                       TEXT,
    pid                        INTEGER,
    heartbeat_at               TEXT,
    started_at                 TEXT,
    ended_at                   TEXT,
    duration_seconds           REAL    CHECK (duration_seconds >= 0),
    tool_version               TEXT,
    git_commit                 TEXT,
    epochs_run                 INTEGER CHECK (epochs_run >= 0),
    best_epoch                 INTEGER CHECK (best_epoch >= 1),
    diverged_epoch             INTEGER CHECK (diverged_epoch >= 1),
    final_train_loss           REAL,
    final_train_accuracy       REAL    CHECK (final_train_accuracy BETWEEN 0 AND 1),
    final_validation_loss      REAL,
    final_validation_accuracy  REAL    CHECK (final_validation_accuracy BETWEEN 0 AND 1),
    best_validation_loss       REAL,
    best_validation_accuracy   REAL    CHECK (best_validation_accuracy BETWEEN 0 AND 1),
    test_loss                  REAL,
    test_accuracy              REAL    CHECK (test_accuracy BETWEEN 0 AND 1),
    test_confusion             TEXT    CHECK (test_confusion IS NULL OR json_valid(test_confusion)),  -- [[count]]: row = true class, column = predicted
    error                      TEXT,
    UNIQUE (sweep_id, config_sha256, seed, fold),
    UNIQUE (sweep_id, cell_index)
);
CREATE INDEX runs_by_status ON runs (sweep_id, status, cell_index);
CREATE INDEX runs_by_config ON runs (sweep_id, config_sha256);

-- One row per hyperparameter per run; value_real is set when the value is a number, so that
-- ORDER BY value_real sorts numerically.
CREATE TABLE params (
    run_id      INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    value_text  TEXT    NOT NULL,
    value_real  REAL,
    PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
CREATE INDEX params_by_name ON params (name, value_real, value_text);

-- Per-epoch metrics, measured at the end of each epoch on the whole training and validation sets.
CREATE TABLE epoch_metrics (
    run_id               INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    epoch                INTEGER NOT NULL CHECK (epoch >= 1),
    train_loss           REAL,
    train_accuracy       REAL,
    validation_loss      REAL,
    validation_accuracy  REAL,
    learning_rate        REAL,
    elapsed_seconds      REAL,   -- since the start of training
    PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

-- Trained weights as safetensors files: 'final' (what the run ended with) and 'best'
-- (lowest validation loss).
CREATE TABLE weights (
    run_id      INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('final', 'best')),
    format      TEXT    NOT NULL DEFAULT 'safetensors',
    sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
    size_bytes  INTEGER NOT NULL CHECK (size_bytes > 0),
    data        BLOB    NOT NULL,
    PRIMARY KEY (run_id, kind)
);

-- A flat row per run, for the sqlite3 shell and pandas.
CREATE VIEW run_summary AS
SELECT r.run_id, s.name AS sweep, d.name AS dataset, d.version AS dataset_version,
       r.cell_index, r.config, r.config_sha256, r.seed, r.fold, r.split_seed, r.status, r.attempt,
       r.final_validation_accuracy AS validation_accuracy, r.final_validation_loss AS validation_loss,
       r.test_accuracy, r.final_train_accuracy AS train_accuracy, r.best_epoch, r.epochs_run,
       r.diverged_epoch, r.duration_seconds, r.started_at, r.ended_at, r.host, r.error
FROM runs r
JOIN sweeps s ON s.sweep_id = r.sweep_id
JOIN datasets d ON d.dataset_id = r.dataset_id;

-- One row per sweep and configuration, over its seeds and folds. Means and the sample standard
-- deviation are over finished runs; diverged and failed runs are counted, never averaged in as
-- numbers, and rank the configuration below every configuration without them.
CREATE VIEW leaderboard AS
SELECT s.name AS sweep, r.sweep_id, r.config_sha256, MIN(r.config) AS config,
       COUNT(*) AS runs,
       SUM(r.status = 'finished') AS finished_runs,
       SUM(r.status = 'diverged') AS diverged_runs,
       SUM(r.status = 'failed') AS failed_runs,
       SUM(r.status IN ('queued', 'running', 'interrupted')) AS pending_runs,
       AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END) AS validation_accuracy_mean,
       CASE WHEN SUM(r.status = 'finished') > 1 THEN
           sqrt(MAX(0.0, (SUM(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy * r.final_validation_accuracy END)
                 - SUM(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
                   * SUM(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
                   / SUM(r.status = 'finished'))
                / (SUM(r.status = 'finished') - 1)))
       END AS validation_accuracy_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_accuracy END) AS test_accuracy_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.best_epoch END) AS best_epoch_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.duration_seconds END) AS duration_seconds_mean
FROM runs r
JOIN sweeps s ON s.sweep_id = r.sweep_id
GROUP BY r.sweep_id, r.config_sha256
-- Ranked on validation data only: the test accuracy is reported, never used to order.
ORDER BY r.sweep_id, (SUM(r.status IN ('diverged', 'failed')) > 0), validation_accuracy_mean IS NULL,
         validation_accuracy_mean DESC, validation_accuracy_std IS NULL, validation_accuracy_std, r.config_sha256;
