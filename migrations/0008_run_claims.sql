-- exp runs.db schema, version 8: each claim of a run carries a random token and what decides
-- whether its process is still alive (docs/sweeps.md, "Ownership and liveness").
--   runs: + claim_token       random text written by each claim; only the process holding the
--                             run's current token stores its result, heartbeat or interruption
--         + heartbeat_timeout seconds after the last heartbeat at which the claim's process counts
--                             as gone (the claimer's --heartbeat-timeout)
--         + boot_id           the claimer's /proc/sys/kernel/random/boot_id
--         + pid_namespace     the claimer's /proc/self/ns/pid (e.g. pid:[4026531836]); pid is
--                             only compared by a process with the same boot id and namespace
-- Columns are added (NULL for every earlier run: such a claim counts as gone after two
-- minutes without a heartbeat, as before); no stored value changes.
ALTER TABLE runs ADD COLUMN claim_token TEXT;
ALTER TABLE runs ADD COLUMN heartbeat_timeout REAL CHECK (heartbeat_timeout > 0);
ALTER TABLE runs ADD COLUMN boot_id TEXT;
ALTER TABLE runs ADD COLUMN pid_namespace TEXT;
