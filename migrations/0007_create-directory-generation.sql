-- A change counter for the service directory. Every statement that changes a directory table bumps it, so that each
-- server process can tell (with one cheap query) when its in-memory search index is out of date, whoever made the
-- change: another process, an import from the command line, or a migration.
CREATE TABLE directory_state (
  id boolean PRIMARY KEY DEFAULT true,
  generation bigint NOT NULL DEFAULT 0,
  changed_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT directory_state_single_row_check CHECK (id)
);
INSERT INTO directory_state (id) VALUES (true);
COMMENT ON TABLE directory_state IS 'One row: generation counts changes to the directory tables (statement-level triggers).';

CREATE FUNCTION directory_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE directory_state SET generation = generation + 1, changed_at = now();
  RETURN NULL;
END
$$;

CREATE TRIGGER directory_organisations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_organisations
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_organisation_identifiers_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_organisation_identifiers
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_networks_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_networks
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_locations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_locations
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_location_accessibility_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_location_accessibility
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_services
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_service_at_locations_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_service_at_locations
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_schedules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_schedules
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_cost_options_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_cost_options
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_service_languages_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_service_languages
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_contacts_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_contacts
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_phones_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_phones
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_service_areas_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_service_areas
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_funding_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_funding
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_taxonomies_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_taxonomies
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_taxonomy_terms_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_taxonomy_terms
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
CREATE TRIGGER directory_service_terms_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_service_terms
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();
