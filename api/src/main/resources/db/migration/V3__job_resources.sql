-- The resources a job requests, as columns, so a tenant's usage for quotas is one aggregate
-- instead of a parse of every spec. Jobs stored before this migration count as requesting
-- nothing. Written for both H2 (the embedded default) and PostgreSQL.

ALTER TABLE jobs ADD COLUMN cpu DOUBLE PRECISION DEFAULT 0 NOT NULL;
ALTER TABLE jobs ADD COLUMN memory_bytes BIGINT DEFAULT 0 NOT NULL;

CREATE INDEX jobs_by_tenant_and_state ON jobs (tenant, state);
