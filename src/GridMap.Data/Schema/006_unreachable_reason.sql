-- Issue 11: a building without a walking time says why (DESIGN §8 names). NULL where it has a time.
ALTER TABLE coverage ADD COLUMN unreachable_reason text
    CHECK (unreachable_reason IN ('no_road_within_300m', 'island', 'no_station_reachable'));
