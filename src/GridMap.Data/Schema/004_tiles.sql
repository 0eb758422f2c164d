-- Tile cache eviction. Every change to a layer's rows, from the API, an import or psql, notifies channel
-- gridmap_tiles with the layer and the bounding boxes (WGS 84) of the old and new geometry:
--   'grids 116.30 39.98 116.31 39.99 116.30 39.98 116.32 39.99'
-- Every API instance LISTENs and evicts exactly the cached tiles those boxes touch. Notifications are
-- sent at commit, so a rolled-back change evicts nothing. TRUNCATE sends 'LAYER *' (evict the layer).
CREATE FUNCTION tiles_notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload text := TG_TABLE_NAME;
    box box2d;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        box := OLD.geom::box2d;
        payload := payload || format(' %s %s %s %s', ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box));
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        box := NEW.geom::box2d;
        payload := payload || format(' %s %s %s %s', ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box));
    END IF;
    PERFORM pg_notify('gridmap_tiles', payload);
    RETURN NULL;
END $$;

CREATE FUNCTION tiles_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gridmap_tiles', TG_TABLE_NAME || ' *');
    RETURN NULL;
END $$;

-- Tables of later helpers (coverage, heatmap) get the same triggers when they exist.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['streets', 'communities', 'grids', 'compounds', 'buildings', 'stations', 'cameras',
                             'roads', 'water', 'coverage', 'heatmap']
    LOOP
        IF to_regclass(t) IS NOT NULL AND EXISTS (
            SELECT 1 FROM information_schema.columns WHERE table_name = t AND column_name = 'geom') THEN
            EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION tiles_notify_row()',
                           t || '_tiles_notify', t);
            EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION tiles_notify_truncate()',
                           t || '_tiles_notify_truncate', t);
        END IF;
    END LOOP;
END $$;
