-- Traffic, feedback and decisions. Portable SQL: the same migration runs on the embedded H2 and on PostgreSQL.

-- Every weight change of a test, in order (revision 0 holds the weights it was created with). Assignment replays the
-- whole history, which is what makes a ramp move units only into the variants whose share grew (see Split.replay).
CREATE TABLE ab_test_weight (
    ab_test_id VARCHAR(36)      NOT NULL REFERENCES ab_test (id) ON DELETE CASCADE,
    revision   INT              NOT NULL,
    variant    VARCHAR(128)     NOT NULL,
    weight     DOUBLE PRECISION NOT NULL,
    changed_at BIGINT           NOT NULL,
    PRIMARY KEY (ab_test_id, revision, variant)
);

INSERT INTO ab_test_weight (ab_test_id, revision, variant, weight, changed_at)
    SELECT v.ab_test_id, 0, v.name, v.weight, t.created_at
    FROM ab_test_variant v JOIN ab_test t ON t.id = v.ab_test_id
    WHERE NOT v.shadow;

-- What the guardrails and the shadow agreement count per variant, beside the assignments and reward sums of V1; the
-- model version the variant served last (what a decision's tags and actions name).
ALTER TABLE ab_test_variant ADD COLUMN requests BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ab_test_variant ADD COLUMN errors BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ab_test_variant ADD COLUMN slow_requests BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ab_test_variant ADD COLUMN compared_rows BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ab_test_variant ADD COLUMN agreed_rows BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ab_test_variant ADD COLUMN feedback_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ab_test_variant ADD COLUMN served_version VARCHAR(32);
-- the assignments counted when the weights last changed: the SRM check compares the assignments since then with the
-- split since then
ALTER TABLE ab_test_variant ADD COLUMN assignments_base BIGINT NOT NULL DEFAULT 0;

-- Every prediction answered through the router, kept for its feedback window (and as long again, so that late
-- feedback is told "expired" rather than "unknown"). ab_test_id and variant are NULL outside an A/B test. No index
-- but the key: every routed request inserts a row, and the hourly purge of old rows can afford a scan.
CREATE TABLE routed_prediction (
    prediction_id VARCHAR(64)      NOT NULL PRIMARY KEY,
    model_name    VARCHAR(256)     NOT NULL,
    model_version VARCHAR(32),
    ab_test_id    VARCHAR(36),
    variant       VARCHAR(128),
    for_decision  BOOLEAN          NOT NULL,
    predicted     VARCHAR(256),
    predicted_at  BIGINT           NOT NULL,
    feedback_at   BIGINT,
    label         VARCHAR(256),
    reward        DOUBLE PRECISION
);

-- A test's decision and its evidence (JSON), with the state of the action it called for: PENDING until the registry
-- took it (retried while the registry is down), then DONE.
CREATE TABLE ab_decision (
    ab_test_id      VARCHAR(36)    NOT NULL PRIMARY KEY REFERENCES ab_test (id) ON DELETE CASCADE,
    outcome         VARCHAR(16)    NOT NULL,
    winner          VARCHAR(128),
    evidence        VARCHAR(100000) NOT NULL,
    decided_at      BIGINT         NOT NULL,
    action          VARCHAR(16)    NOT NULL,
    action_state    VARCHAR(16)    NOT NULL,
    action_attempts INT            NOT NULL DEFAULT 0,
    action_error    VARCHAR(2000),
    action_done_at  BIGINT
);
