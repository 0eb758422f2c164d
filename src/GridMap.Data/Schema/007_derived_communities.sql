-- Streets and communities that GridMap derived from an import (blocks of an OpenStreetMap extract merged to
-- hold at least one grid) rather than received from the city: DESIGN §8 `derived: true`. A re-import with
-- --replace replaces the derived ones and keeps the city's own.
ALTER TABLE streets ADD COLUMN derived boolean NOT NULL DEFAULT false;
ALTER TABLE communities ADD COLUMN derived boolean NOT NULL DEFAULT false;
