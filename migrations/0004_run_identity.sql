-- exp runs.db schema, version 4: a run's identity gains its repeat, outer fold and phase, for
-- repeated and nested cross-validation (docs/sweeps.md, "Protocols"), each outer fold's choice
-- of configuration is stored once in `selections`, and a split may hold early-stopping rows.
--   runs:   + repeat (0 for every earlier run), outer_fold (0: not nested), phase ('search' for
--           every earlier run; 'refit' for a chosen configuration retrained on all its outer
--           training rows); identity (sweep, configuration, seed, repeat, outer fold, fold, phase).
--   splits: + repeat, outer_fold; identity (data set, protocol, repeat, outer fold, fold);
--           + early_stopping_rows ('[]' for every earlier split).
-- Both tables are rebuilt the SQLite way (create, copy, drop, rename) with foreign keys off
-- (the migrator's rule); every stored value is copied unchanged and the new columns take
-- their defaults. Views are dropped and made again; leaderboard keeps its columns and order,
-- counting only search runs (every earlier run is one).
DROP VIEW leaderboard;
DROP VIEW run_summary;

CREATE TABLE splits_new (
    split_id         INTEGER PRIMARY KEY,
    dataset_id       INTEGER NOT NULL REFERENCES datasets (dataset_id),
    split_seed       INTEGER NOT NULL,                         -- the seed these rows were drawn with (the repeat's)
    protocol         TEXT    NOT NULL CHECK (json_valid(protocol)),
    fold             INTEGER NOT NULL CHECK (fold >= 0),      -- 0: holdout or refit; 1..k: k-fold, or the inner fold of nested CV
    train_rows       TEXT    NOT NULL CHECK (json_valid(train_rows)),
    validation_rows  TEXT    NOT NULL CHECK (json_valid(validation_rows)),
    test_rows        TEXT    NOT NULL CHECK (json_valid(test_rows)),
    repeat           INTEGER NOT NULL DEFAULT 0 CHECK (repeat >= 0),       -- 0..r-1 of repeated cross-validation
    outer_fold       INTEGER NOT NULL DEFAULT 0 CHECK (outer_fold >= 0),   -- 1..k of nested CV; 0 otherwise
    early_stopping_rows TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(early_stopping_rows)),  -- held out of training to watch for early stopping
    UNIQUE (dataset_id, protocol, repeat, outer_fold, fold)
);
INSERT INTO splits_new (split_id, dataset_id, split_seed, protocol, fold, train_rows, validation_rows, test_rows)
SELECT split_id, dataset_id, split_seed, protocol, fold, train_rows, validation_rows, test_rows FROM splits;
DROP TABLE splits;
ALTER TABLE splits_new RENAME TO splits;

CREATE TABLE runs_new (
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
    repeat                     INTEGER NOT NULL DEFAULT 0 CHECK (repeat >= 0),
    outer_fold                 INTEGER NOT NULL DEFAULT 0 CHECK (outer_fold >= 0),
    phase                      TEXT    NOT NULL DEFAULT 'search' CHECK (phase IN ('search', 'refit')),
    UNIQUE (sweep_id, config_sha256, seed, repeat, outer_fold, fold, phase),
    UNIQUE (sweep_id, cell_index)
);
INSERT INTO runs_new (run_id, sweep_id, dataset_id, split_id, cell_index, config, config_sha256, seed, fold, split_seed, status,
                      attempt, host, pid, heartbeat_at, started_at, ended_at, duration_seconds, tool_version, git_commit,
                      epochs_run, best_epoch, diverged_epoch, final_train_loss, final_train_accuracy, final_validation_loss,
                      final_validation_accuracy, best_validation_loss, best_validation_accuracy, test_loss, test_accuracy,
                      test_confusion, error)
SELECT run_id, sweep_id, dataset_id, split_id, cell_index, config, config_sha256, seed, fold, split_seed, status,
       attempt, host, pid, heartbeat_at, started_at, ended_at, duration_seconds, tool_version, git_commit,
       epochs_run, best_epoch, diverged_epoch, final_train_loss, final_train_accuracy, final_validation_loss,
       final_validation_accuracy, best_validation_loss, best_validation_accuracy, test_loss, test_accuracy,
       test_confusion, error
FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_by_status ON runs (sweep_id, status, cell_index);
CREATE INDEX runs_by_config ON runs (sweep_id, config_sha256);

-- The configuration each outer fold of a nested sweep chose (outer_fold 0: the one choice of a
-- k-fold sweep with "refit"), by the ranking rule over that fold's search runs only, decided
-- once: the row and the refit runs it queues are written in one transaction, and a second
-- decision for the same fold (another process, a resume) inserts nothing.
CREATE TABLE selections (
    sweep_id       INTEGER NOT NULL REFERENCES sweeps (sweep_id) ON DELETE CASCADE,
    repeat         INTEGER NOT NULL CHECK (repeat >= 0),
    outer_fold     INTEGER NOT NULL CHECK (outer_fold >= 0),
    config_sha256  TEXT    NOT NULL CHECK (length(config_sha256) = 64),  -- the chosen search configuration
    config         TEXT    NOT NULL CHECK (json_valid(config)),
    refit_epochs   INTEGER NOT NULL CHECK (refit_epochs >= 1),            -- median of its best epochs on the inner validation rows
    candidates     INTEGER NOT NULL CHECK (candidates >= 1),              -- configurations ranked
    selected_at    TEXT    NOT NULL,
    PRIMARY KEY (sweep_id, repeat, outer_fold)
);

CREATE VIEW run_summary AS
SELECT r.run_id, s.name AS sweep, d.name AS dataset, d.version AS dataset_version,
       r.cell_index, r.config, r.config_sha256, r.seed, r.fold, r.split_seed, r.status, r.attempt,
       r.final_validation_accuracy AS validation_accuracy, r.final_validation_loss AS validation_loss,
       r.test_accuracy, r.final_train_accuracy AS train_accuracy, r.best_epoch, r.epochs_run,
       r.diverged_epoch, r.duration_seconds, r.started_at, r.ended_at, r.host, r.error,
       r.repeat, r.outer_fold, r.phase
FROM runs r
JOIN sweeps s ON s.sweep_id = r.sweep_id
JOIN datasets d ON d.dataset_id = r.dataset_id;

-- One row per sweep and configuration over its search runs (seeds, folds, repeats, outer
-- folds): the columns and order of version 3.
CREATE VIEW leaderboard AS
WITH scored AS (
    SELECT r.*,
           AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
               OVER (PARTITION BY r.sweep_id, r.config_sha256) AS config_mean
    FROM runs r
    WHERE r.phase = 'search'
)
SELECT s.name AS sweep, r.sweep_id, r.config_sha256, MIN(r.config) AS config,
       COUNT(*) AS runs,
       SUM(r.status = 'finished') AS finished_runs,
       SUM(r.status = 'diverged') AS diverged_runs,
       SUM(r.status = 'failed') AS failed_runs,
       SUM(r.status IN ('queued', 'running', 'interrupted')) AS pending_runs,
       AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END) AS validation_accuracy_mean,
       CASE WHEN SUM(r.status = 'finished') > 1 THEN
           -- equal accuracies give exactly 0, not the rounding residue of their mean
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.final_validation_accuracy - r.config_mean) * (r.final_validation_accuracy - r.config_mean) END)
                / (SUM(r.status = 'finished') - 1)) END
       END AS validation_accuracy_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_accuracy END) AS test_accuracy_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.best_epoch END) AS best_epoch_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.duration_seconds END) AS duration_seconds_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_loss END) AS validation_loss_mean
FROM scored r
JOIN sweeps s ON s.sweep_id = r.sweep_id
GROUP BY r.sweep_id, r.config_sha256
-- Ranked on validation data only: the test accuracy is reported, never used to order.
ORDER BY r.sweep_id, (SUM(r.status IN ('diverged', 'failed')) > 0), validation_accuracy_mean IS NULL,
         validation_accuracy_mean DESC, validation_accuracy_std IS NULL, validation_accuracy_std,
         validation_loss_mean IS NULL, validation_loss_mean, r.config_sha256;

-- The leaderboard of one repeat and outer fold: what that fold's selection ranks, with the
-- leaderboard's columns (and the same ranking rule) plus repeat and outer_fold.
CREATE VIEW fold_leaderboard AS
WITH scored AS (
    SELECT r.*,
           AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
               OVER (PARTITION BY r.sweep_id, r.repeat, r.outer_fold, r.config_sha256) AS config_mean
    FROM runs r
    WHERE r.phase = 'search'
)
SELECT r.sweep_id, r.repeat, r.outer_fold, r.config_sha256, MIN(r.config) AS config,
       COUNT(*) AS runs,
       SUM(r.status = 'finished') AS finished_runs,
       SUM(r.status = 'diverged') AS diverged_runs,
       SUM(r.status = 'failed') AS failed_runs,
       SUM(r.status IN ('queued', 'running', 'interrupted')) AS pending_runs,
       AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END) AS validation_accuracy_mean,
       CASE WHEN SUM(r.status = 'finished') > 1 THEN
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.final_validation_accuracy - r.config_mean) * (r.final_validation_accuracy - r.config_mean) END)
                / (SUM(r.status = 'finished') - 1)) END
       END AS validation_accuracy_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_accuracy END) AS test_accuracy_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.best_epoch END) AS best_epoch_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.duration_seconds END) AS duration_seconds_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_loss END) AS validation_loss_mean
FROM scored r
GROUP BY r.sweep_id, r.repeat, r.outer_fold, r.config_sha256;
