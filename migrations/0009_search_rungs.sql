-- exp runs.db schema, version 9: successive halving and Hyperband (docs/grid.md, "Successive
-- halving and Hyperband"; docs/sweeps.md).
--   runs:        status may be 'pruned': stopped at a rung of a halving search, its configuration
--                not promoted (Optuna's term); every earlier run keeps its status.
--   rungs:       one row per run and rung decided: the rung's budget in epochs, whether the run's
--                configuration was promoted or stopped there, when, and the value it was ranked on
--                (its configuration's mean validation accuracy at exactly that budget).
--   checkpoints: the training state a run continues from beside its stored weights ('final' and
--                'best'): optimizer moments and step count, generator state and row order,
--                best epoch so far.
-- runs is rebuilt the SQLite way (create, copy, drop, rename) with foreign keys off (the
-- migrator's rule) to widen its status check; every stored value is copied unchanged. Its
-- indexes and the views on it are dropped and made again with the same text as before.
DROP VIEW run_summary;
DROP VIEW leaderboard;
DROP VIEW fold_leaderboard;

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
                               CHECK (status IN ('queued', 'running', 'finished', 'diverged', 'failed', 'interrupted', 'pruned')),
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
    validation_balanced_accuracy REAL CHECK (validation_balanced_accuracy BETWEEN 0 AND 1),
    validation_macro_f1        REAL    CHECK (validation_macro_f1 BETWEEN 0 AND 1),
    validation_log_loss        REAL    CHECK (validation_log_loss >= 0),
    test_balanced_accuracy     REAL    CHECK (test_balanced_accuracy BETWEEN 0 AND 1),
    test_macro_f1              REAL    CHECK (test_macro_f1 BETWEEN 0 AND 1),
    test_log_loss              REAL    CHECK (test_log_loss >= 0),
    claim_token                TEXT,
    heartbeat_timeout          REAL    CHECK (heartbeat_timeout > 0),
    boot_id                    TEXT,
    pid_namespace              TEXT,
    UNIQUE (sweep_id, config_sha256, seed, repeat, outer_fold, fold, phase),
    UNIQUE (sweep_id, cell_index)
);
INSERT INTO runs_new (run_id, sweep_id, dataset_id, split_id, cell_index, config, config_sha256, seed, fold, split_seed, status, attempt, host, pid, heartbeat_at, started_at, ended_at, duration_seconds, tool_version, git_commit, epochs_run, best_epoch, diverged_epoch, final_train_loss, final_train_accuracy, final_validation_loss, final_validation_accuracy, best_validation_loss, best_validation_accuracy, test_loss, test_accuracy, test_confusion, error, repeat, outer_fold, phase, validation_balanced_accuracy, validation_macro_f1, validation_log_loss, test_balanced_accuracy, test_macro_f1, test_log_loss, claim_token, heartbeat_timeout, boot_id, pid_namespace)
SELECT run_id, sweep_id, dataset_id, split_id, cell_index, config, config_sha256, seed, fold, split_seed, status, attempt, host, pid, heartbeat_at, started_at, ended_at, duration_seconds, tool_version, git_commit, epochs_run, best_epoch, diverged_epoch, final_train_loss, final_train_accuracy, final_validation_loss, final_validation_accuracy, best_validation_loss, best_validation_accuracy, test_loss, test_accuracy, test_confusion, error, repeat, outer_fold, phase, validation_balanced_accuracy, validation_macro_f1, validation_log_loss, test_balanced_accuracy, test_macro_f1, test_log_loss, claim_token, heartbeat_timeout, boot_id, pid_namespace
FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_by_status ON runs (sweep_id, status, cell_index);
CREATE INDEX runs_by_config ON runs (sweep_id, config_sha256);

-- Each rung decision of a halving search, per run: written once, in the transaction that decides
-- the rung (promoting the configuration's runs or marking them pruned); never changed.
CREATE TABLE rungs (
    run_id         INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    rung           INTEGER NOT NULL CHECK (rung >= 0),                 -- 0: the first (smallest) budget
    bracket        INTEGER NOT NULL DEFAULT 0 CHECK (bracket >= 0),    -- Hyperband's bracket; 0 for successive halving
    budget_epochs  INTEGER NOT NULL CHECK (budget_epochs >= 1),        -- epochs trained when the rung was decided
    outcome        TEXT    NOT NULL CHECK (outcome IN ('promoted', 'stopped')),
    value          REAL,                                               -- ranked on: mean validation accuracy of the configuration at budget_epochs; NULL with a diverged or failed run
    rank           INTEGER NOT NULL CHECK (rank >= 1),                 -- the configuration's place in the rung (1 = best)
    candidates     INTEGER NOT NULL CHECK (candidates >= 1),           -- configurations ranked in the rung
    decided_at     TEXT    NOT NULL,
    PRIMARY KEY (run_id, rung)
) WITHOUT ROWID;

-- The state a run continues from at its last stored epoch, beside its 'final' and 'best' weights:
-- NeuralNet's TrainingState bytes (format EXPTRST1: optimizer moments and step count, generator
-- state, row order, best epoch and loss, divergence bound; docs/schema.md, "Checkpoints").
CREATE TABLE checkpoints (
    run_id      INTEGER PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
    epoch       INTEGER NOT NULL CHECK (epoch >= 1),
    format      TEXT    NOT NULL DEFAULT 'EXPTRST1',
    sha256      TEXT    NOT NULL CHECK (length(sha256) = 64),
    size_bytes  INTEGER NOT NULL CHECK (size_bytes > 0),
    data        BLOB    NOT NULL
);

-- The views, as version 8 left them.
-- A flat row per run, for the sqlite3 shell and pandas.
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

-- One row per sweep and configuration over its search runs: the columns and order of
-- version 4, then the new metrics.
CREATE VIEW leaderboard AS
WITH scored AS (
    SELECT r.*,
           AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
               OVER (PARTITION BY r.sweep_id, r.config_sha256) AS config_mean,
           AVG(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END)
               OVER (PARTITION BY r.sweep_id, r.config_sha256) AS balanced_accuracy_config_mean,
           AVG(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END)
               OVER (PARTITION BY r.sweep_id, r.config_sha256) AS macro_f1_config_mean,
           AVG(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END)
               OVER (PARTITION BY r.sweep_id, r.config_sha256) AS log_loss_config_mean
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
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.final_validation_accuracy - r.config_mean) * (r.final_validation_accuracy - r.config_mean) END)
                / (SUM(r.status = 'finished') - 1)) END
       END AS validation_accuracy_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_accuracy END) AS test_accuracy_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.best_epoch END) AS best_epoch_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.duration_seconds END) AS duration_seconds_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_loss END) AS validation_loss_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) AS validation_balanced_accuracy_mean,
       CASE WHEN COUNT(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) > 1 THEN
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.validation_balanced_accuracy - r.balanced_accuracy_config_mean) * (r.validation_balanced_accuracy - r.balanced_accuracy_config_mean) END)
                / (COUNT(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) - 1)) END
       END AS validation_balanced_accuracy_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_balanced_accuracy END) AS test_balanced_accuracy_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) AS validation_macro_f1_mean,
       CASE WHEN COUNT(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) > 1 THEN
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.validation_macro_f1 - r.macro_f1_config_mean) * (r.validation_macro_f1 - r.macro_f1_config_mean) END)
                / (COUNT(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) - 1)) END
       END AS validation_macro_f1_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_macro_f1 END) AS test_macro_f1_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) AS validation_log_loss_mean,
       CASE WHEN COUNT(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) > 1 THEN
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.validation_log_loss - r.log_loss_config_mean) * (r.validation_log_loss - r.log_loss_config_mean) END)
                / (COUNT(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) - 1)) END
       END AS validation_log_loss_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_log_loss END) AS test_log_loss_mean
FROM scored r
JOIN sweeps s ON s.sweep_id = r.sweep_id
GROUP BY r.sweep_id, r.config_sha256
-- Ranked on validation data only: the test figures are reported, never used to order.
ORDER BY r.sweep_id, (SUM(r.status IN ('diverged', 'failed')) > 0), validation_accuracy_mean IS NULL,
         validation_accuracy_mean DESC, validation_accuracy_std IS NULL, validation_accuracy_std,
         validation_loss_mean IS NULL, validation_loss_mean, r.config_sha256;

-- The leaderboard of one repeat and outer fold, with the leaderboard's columns plus repeat and
-- outer_fold.
CREATE VIEW fold_leaderboard AS
WITH scored AS (
    SELECT r.*,
           AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
               OVER (PARTITION BY r.sweep_id, r.repeat, r.outer_fold, r.config_sha256) AS config_mean,
           AVG(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END)
               OVER (PARTITION BY r.sweep_id, r.repeat, r.outer_fold, r.config_sha256) AS balanced_accuracy_config_mean,
           AVG(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END)
               OVER (PARTITION BY r.sweep_id, r.repeat, r.outer_fold, r.config_sha256) AS macro_f1_config_mean,
           AVG(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END)
               OVER (PARTITION BY r.sweep_id, r.repeat, r.outer_fold, r.config_sha256) AS log_loss_config_mean
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
       AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_loss END) AS validation_loss_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) AS validation_balanced_accuracy_mean,
       CASE WHEN COUNT(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) > 1 THEN
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.validation_balanced_accuracy - r.balanced_accuracy_config_mean) * (r.validation_balanced_accuracy - r.balanced_accuracy_config_mean) END)
                / (COUNT(CASE WHEN r.status = 'finished' THEN r.validation_balanced_accuracy END) - 1)) END
       END AS validation_balanced_accuracy_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_balanced_accuracy END) AS test_balanced_accuracy_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) AS validation_macro_f1_mean,
       CASE WHEN COUNT(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) > 1 THEN
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.validation_macro_f1 - r.macro_f1_config_mean) * (r.validation_macro_f1 - r.macro_f1_config_mean) END)
                / (COUNT(CASE WHEN r.status = 'finished' THEN r.validation_macro_f1 END) - 1)) END
       END AS validation_macro_f1_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_macro_f1 END) AS test_macro_f1_mean,
       AVG(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) AS validation_log_loss_mean,
       CASE WHEN COUNT(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) > 1 THEN
           CASE WHEN MIN(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END)
                   = MAX(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) THEN 0.0 ELSE
           sqrt(SUM(CASE WHEN r.status = 'finished'
                         THEN (r.validation_log_loss - r.log_loss_config_mean) * (r.validation_log_loss - r.log_loss_config_mean) END)
                / (COUNT(CASE WHEN r.status = 'finished' THEN r.validation_log_loss END) - 1)) END
       END AS validation_log_loss_std,
       AVG(CASE WHEN r.status = 'finished' THEN r.test_log_loss END) AS test_log_loss_mean
FROM scored r
GROUP BY r.sweep_id, r.repeat, r.outer_fold, r.config_sha256;
