-- Walking coverage results (DESIGN §4, §8): derived layers, rewritten whenever coverage is recomputed
-- after roads, stations or units changed. One coverage row per building (id = building id).
CREATE TABLE coverage (
    id bigint PRIMARY KEY,
    building_id bigint NOT NULL,
    station_id bigint,
    walk_seconds double precision,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Hexagon cells: walking time from the cell centre to the nearest station, and households inside.
CREATE TABLE heatmap (
    id bigint PRIMARY KEY,
    walk_seconds double precision,
    households integer NOT NULL DEFAULT 0,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX coverage_geom_idx ON coverage USING gist (geom);
CREATE INDEX heatmap_geom_idx ON heatmap USING gist (geom);

-- Every write to the inputs of coverage advances this sequence; the service keeps its walking graph and
-- results in memory under the value it was built from and rebuilds when it moves. A sequence, not a
-- counter row, so concurrent writers never wait on each other.
CREATE SEQUENCE coverage_inputs_version;

CREATE FUNCTION coverage_inputs_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('coverage_inputs_version');
    RETURN NULL;
END $$;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['roads', 'stations', 'buildings', 'compounds', 'grids', 'communities', 'streets']
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION coverage_inputs_changed()',
                       t || '_coverage_inputs_changed', t);
    END LOOP;
END $$;
