-- Why a waiting job cannot start, backend by backend, as JSON beside the one-line reason. The
-- reason names every backend considered, so it has no useful upper bound: it becomes TEXT.
-- Written for both H2 (the embedded default) and PostgreSQL.

ALTER TABLE jobs ALTER COLUMN waiting_reason SET DATA TYPE TEXT;
ALTER TABLE jobs ADD COLUMN waiting_detail TEXT;
