-- exp runs.db schema, version 3: the leaderboard gains validation_loss_mean, the third key of
-- the ranking rule (docs/schema.md, "Ranking"), and the view is ordered by the whole rule:
-- configurations without diverged or failed runs first, then higher mean validation accuracy,
-- lower standard deviation, lower mean validation loss, and config_sha256 as the last resort.
-- Every earlier column keeps its name, meaning and position; the new one comes last.
DROP VIEW leaderboard;

CREATE VIEW leaderboard AS
WITH scored AS (
    SELECT r.*,
           AVG(CASE WHEN r.status = 'finished' THEN r.final_validation_accuracy END)
               OVER (PARTITION BY r.sweep_id, r.config_sha256) AS config_mean
    FROM runs r
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
