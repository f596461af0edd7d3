-- The units each variant of a fixed-split test was assigned, each unit counted once: the sample ratio check compares
-- units, not requests, because a sticky unit that asks again and again is still one draw of the split (counting its
-- requests would turn an ordinary uneven split of a few heavy users into a "mismatch"). The key makes a unit counted
-- once whichever replica saw it first; units the router made up for a request naming none are never repeated, so
-- they are only counted (units), not listed here.
CREATE TABLE ab_test_unit (
    ab_test_id VARCHAR(36)  NOT NULL REFERENCES ab_test (id) ON DELETE CASCADE,
    unit_hash  BIGINT       NOT NULL,
    variant    VARCHAR(128) NOT NULL,
    PRIMARY KEY (ab_test_id, unit_hash)
);

-- distinct units per variant, and their count when the weights last changed (as assignments_base for requests)
ALTER TABLE ab_test_variant ADD COLUMN units BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ab_test_variant ADD COLUMN units_base BIGINT NOT NULL DEFAULT 0;
