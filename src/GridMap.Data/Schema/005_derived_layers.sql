-- Derived layers (coverage, heatmap) are rebuilt by a background worker, never by a reader (issue 13).
-- Every write to a coverage input still advances coverage_inputs_version, and now also notifies channel
-- gridmap_inputs with 'TABLE VERSION'. Notifications are delivered at commit, so when the worker hears
-- one the change is visible to its next snapshot; the table name tells whether the walking graph must
-- be rebuilt (roads, stations, buildings, compounds) or only the areas units fall in re-aggregated
-- (grids, communities, streets).
CREATE OR REPLACE FUNCTION coverage_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gridmap_inputs', TG_TABLE_NAME || ' ' || nextval('coverage_inputs_version'));
    RETURN NULL;
END $$;

-- The inputs version the coverage and heatmap tables reflect. Written in the same transaction as the
-- layers, under an advisory lock, so an older rebuild (another instance, the CLI) never replaces a newer one.
CREATE TABLE derived_layers_version (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    inputs_version bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO derived_layers_version DEFAULT VALUES;
