-- The two PostgreSQL roles of the pipeline, run once by an administrator (idempotent):
--   psql -d <database> -f src/main/resources/sql/postgres-roles.sql
-- then give each a password (never written in a file): \password webtraffic_owner, \password webtraffic_job
--
-- webtraffic_owner  runs `scripts/pipeline migrate` (postgres.migrate-user): creates the schema and
--                   tables, owns them, and grants the job role its rights on them, including the
--                   tables later migrations add (ALTER DEFAULT PRIVILEGES).
-- webtraffic_job    runs the job (postgres.user): SELECT, INSERT, UPDATE, DELETE on the tables of
--                   the job's schema, temporary staging tables for COPY; no CREATE, no DROP, no
--                   other schema. The embedded stack (scripts/pipeline stack start) runs this file.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'webtraffic_owner') THEN
    CREATE ROLE webtraffic_owner LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'webtraffic_job') THEN
    CREATE ROLE webtraffic_job LOGIN;
  END IF;
  -- The owner creates the job's schema; the job connects and stages rows in temporary tables.
  EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO webtraffic_owner', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO webtraffic_job', current_database());
END
$$;
-- Neither role may create objects in the public schema (PostgreSQL 15+ already refuses it).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
