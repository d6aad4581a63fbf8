-- exp runs.db schema, version 6: extra metrics stored per run, and a benchmark per sweep.
--   runs:   + validation_balanced_accuracy, validation_macro_f1, validation_log_loss (the final
--           model on the validation rows, as final_validation_accuracy), and test_balanced_accuracy,
--           test_macro_f1, test_log_loss (on the test rows, as test_accuracy); NULL for every
--           earlier run and for a run without such rows. Definitions: docs/schema.md, "Metrics".
--   sweeps: + benchmark_test_accuracy, benchmark_source: the test accuracy the grid's
--           "benchmark" compares with and where it comes from; NULL for every earlier sweep and
--           for a grid without one.
-- Nothing stored is changed or filled in. The leaderboard and fold_leaderboard views keep every
-- column, its meaning and position (and leaderboard its order) and gain, last, the mean and
-- standard deviation of each new validation metric and the mean of each new test metric, over
-- the finished search runs that have it.
ALTER TABLE runs ADD COLUMN validation_balanced_accuracy REAL CHECK (validation_balanced_accuracy BETWEEN 0 AND 1);
ALTER TABLE runs ADD COLUMN validation_macro_f1 REAL CHECK (validation_macro_f1 BETWEEN 0 AND 1);
ALTER TABLE runs ADD COLUMN validation_log_loss REAL CHECK (validation_log_loss >= 0);
ALTER TABLE runs ADD COLUMN test_balanced_accuracy REAL CHECK (test_balanced_accuracy BETWEEN 0 AND 1);
ALTER TABLE runs ADD COLUMN test_macro_f1 REAL CHECK (test_macro_f1 BETWEEN 0 AND 1);
ALTER TABLE runs ADD COLUMN test_log_loss REAL CHECK (test_log_loss >= 0);
ALTER TABLE sweeps ADD COLUMN benchmark_test_accuracy REAL CHECK (benchmark_test_accuracy BETWEEN 0 AND 1);
ALTER TABLE sweeps ADD COLUMN benchmark_source TEXT CHECK (benchmark_source IS NULL OR length(trim(benchmark_source)) > 0);

DROP VIEW leaderboard;
DROP VIEW fold_leaderboard;

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
