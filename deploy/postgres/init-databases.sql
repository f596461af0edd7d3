-- One database per stateful service: each owns its schema (DESIGN.md) and migrates it with Flyway at start. Run by
-- the postgres image as POSTGRES_USER (flywheel), the databases' owner, once, when the data volume is new.
CREATE DATABASE flywheel_registry;
CREATE DATABASE flywheel_router;
CREATE DATABASE flywheel_monitoring;
