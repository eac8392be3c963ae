-- Log-in attempts are counted before the password is checked, so that concurrent guesses
-- cannot pass the limit (mend-core's login_throttle). An attempt counted in several buckets
-- has one row in each, under one attempt id, so a correct attempt can be taken back.
-- The old failure counts are only minutes of history: they are dropped, not carried over.
DROP TABLE login_failures;

CREATE TABLE login_attempts (
    id BIGSERIAL PRIMARY KEY,
    key_hash BYTEA NOT NULL,
    attempt BYTEA NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_by_key ON login_attempts(key_hash, at);
CREATE INDEX login_attempts_by_attempt ON login_attempts(attempt);
