-- A/B test definitions. Portable SQL: the same migration runs on the embedded H2 and on PostgreSQL.

CREATE TABLE ab_test (
    id                      VARCHAR(36)      NOT NULL PRIMARY KEY,
    model_name              VARCHAR(256)     NOT NULL,
    -- the model name while the test runs, else NULL: the unique index allows one running test per model
    running_model           VARCHAR(256),
    reward_kind             VARCHAR(16)      NOT NULL,
    alpha                   DOUBLE PRECISION NOT NULL,
    min_samples             BIGINT           NOT NULL,
    max_samples             BIGINT,
    max_error_rate_increase DOUBLE PRECISION,
    p99_latency_ms          BIGINT,
    action                  VARCHAR(16)      NOT NULL,
    allocation              VARCHAR(16)      NOT NULL,
    uniform_share           DOUBLE PRECISION,
    -- hex, generated at creation and never changed: sticky assignment hashes it with the unit key
    salt                    VARCHAR(64)      NOT NULL,
    status                  VARCHAR(16)      NOT NULL,
    status_reason           VARCHAR(2000),
    created_at              BIGINT           NOT NULL,
    updated_at              BIGINT           NOT NULL
);

CREATE UNIQUE INDEX ab_test_one_running_per_model ON ab_test (running_model);
CREATE INDEX ab_test_by_model ON ab_test (model_name, created_at);

-- Variants and shadow variants of a test, in the order given (position 0 is the control). The counters and reward
-- sums are kept per variant by the router as traffic and feedback arrive; a definition starts them at zero.
CREATE TABLE ab_test_variant (
    ab_test_id         VARCHAR(36)      NOT NULL REFERENCES ab_test (id) ON DELETE CASCADE,
    name               VARCHAR(128)     NOT NULL,
    position           INT              NOT NULL,
    shadow             BOOLEAN          NOT NULL,
    model_alias        VARCHAR(256),
    model_version      VARCHAR(32),
    weight             DOUBLE PRECISION,
    assignments        BIGINT           NOT NULL DEFAULT 0,
    reward_count       BIGINT           NOT NULL DEFAULT 0,
    reward_sum         DOUBLE PRECISION NOT NULL DEFAULT 0,
    reward_sum_squares DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (ab_test_id, name),
    CHECK ((model_alias IS NULL) <> (model_version IS NULL)),
    CHECK (shadow OR weight > 0)
);
