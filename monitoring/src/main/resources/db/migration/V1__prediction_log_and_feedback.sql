-- The prediction log (one row per prediction, as the inference service logged it) and the feedback forwarded by the
-- router, joined by prediction id. Feedback may arrive before its prediction's log entry: the tables are apart, so
-- either order joins. Times are epoch milliseconds.

CREATE TABLE logged_prediction (
    prediction_id   VARCHAR(64)      NOT NULL PRIMARY KEY,
    model_name      VARCHAR(256)     NOT NULL,
    model_version   VARCHAR(32)      NOT NULL,
    variant         VARCHAR(128),
    predicted_at    BIGINT           NOT NULL,
    latency_ms      DOUBLE PRECISION,
    -- the row's features as a JSON object, {"feature": value, ...}
    features        VARCHAR(1000000) NOT NULL,
    -- a classifier's label and its class probabilities (a JSON object), or a regressor's value
    predicted_label VARCHAR(256),
    probabilities   VARCHAR(100000),
    predicted_value DOUBLE PRECISION
);

CREATE INDEX logged_prediction_by_model_time ON logged_prediction (model_name, predicted_at);

CREATE TABLE feedback (
    prediction_id VARCHAR(64)  NOT NULL PRIMARY KEY,
    model_name    VARCHAR(256) NOT NULL,
    model_version VARCHAR(32),
    ab_test_id    VARCHAR(36),
    variant       VARCHAR(128),
    predicted     VARCHAR(256),
    label         VARCHAR(256),
    reward        DOUBLE PRECISION,
    predicted_at  BIGINT       NOT NULL,
    received_at   BIGINT       NOT NULL
);

CREATE INDEX feedback_by_model_time ON feedback (model_name, predicted_at);
