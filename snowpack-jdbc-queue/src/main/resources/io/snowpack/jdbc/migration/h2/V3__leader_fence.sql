-- Leader leases get a fence token that grows with every new term (a new holder, or the same holder after its
-- lease lapsed), so that leader-only writes (orchestrator submissions and runs, sweeper reclaims) can check,
-- inside their own transaction, that their leader still leads. Rows from before keep fence 0.
CREATE SEQUENCE ${schema}.scheduler_leader_fence_seq;
ALTER TABLE ${schema}.scheduler_leader ADD COLUMN fence BIGINT DEFAULT 0 NOT NULL;
