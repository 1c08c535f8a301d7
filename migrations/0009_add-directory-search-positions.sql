-- Where a search measures a venue from. For a confidential venue (a refuge) not its real position but the centre of
-- a 0.05-degree square (about 5.5 by 3.3 km) that holds it: otherwise the order of results, or whether a venue is
-- within a radius, searched from many postcodes, would tell where it is. Public pages and the ORUK API show no
-- distance for such a venue; the search page and the API order and filter by this position.
ALTER TABLE directory_locations
  ADD COLUMN search_latitude double precision
    GENERATED ALWAYS AS (CASE WHEN confidential THEN round(latitude * 20) / 20 ELSE latitude END) STORED,
  ADD COLUMN search_longitude double precision
    GENERATED ALWAYS AS (CASE WHEN confidential THEN round(longitude * 20) / 20 ELSE longitude END) STORED;
DROP INDEX directory_locations_position_idx;
CREATE INDEX directory_locations_search_position_idx ON directory_locations (search_latitude, search_longitude)
  WHERE search_latitude IS NOT NULL;
COMMENT ON COLUMN directory_locations.search_latitude IS 'The latitude searches measure from: the real one, or for a confidential venue a coarse one (see migration 0009).';
COMMENT ON COLUMN directory_locations.search_longitude IS 'The longitude searches measure from: the real one, or for a confidential venue a coarse one.';
COMMENT ON COLUMN directory_locations.confidential IS 'The address must not be published (a refuge, a safe house): public pages, the ORUK API and exports show "Confidential venue", never the address, town, postcode or coordinates, and no distance. Searches measure from a coarse position (search_latitude, search_longitude).';
