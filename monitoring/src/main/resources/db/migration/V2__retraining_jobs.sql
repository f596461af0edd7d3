-- Retraining jobs: what triggered each, its snapshot and spec, the training job it launched and how it ended.
-- running_model holds the model's name while the job is preparing or running and is NULL after: its unique index lets
-- one job per model be active, whichever replica takes the trigger. Times are epoch milliseconds.

CREATE TABLE retraining_job (
    id              VARCHAR(36)    NOT NULL PRIMARY KEY,
    model_name      VARCHAR(256)   NOT NULL,
    running_model   VARCHAR(256),
    reason          VARCHAR(16)    NOT NULL,
    attempt         INT            NOT NULL,
    status          VARCHAR(16)    NOT NULL,
    requested_at    BIGINT         NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    base_version    VARCHAR(32),
    snapshot_digest VARCHAR(64),
    snapshot_rows   BIGINT,
    work_dir        VARCHAR(1024),
    handle          VARCHAR(64),
    new_version     VARCHAR(32),
    exit_code       INT,
    detail          VARCHAR(2000),
    log_tail        VARCHAR(32000),
    ab_test_id      VARCHAR(36)
);

CREATE UNIQUE INDEX retraining_job_one_active_per_model ON retraining_job (running_model);
CREATE INDEX retraining_job_by_model_time ON retraining_job (model_name, requested_at);
