-- Running the directory: school term dates (behind "term time only" sessions), confidential venues (refuges: the
-- address is never published), and a record of the review reminders sent to providers.

ALTER TABLE directory_locations ADD COLUMN confidential boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN directory_locations.confidential IS 'The address must not be published (a refuge, a safe house): public pages, the ORUK API and exports show the town at most, never the address, postcode or coordinates. Searches still measure distance from it.';

CREATE TABLE directory_term_dates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  la_code text NOT NULL,
  name text NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT directory_term_dates_order_check CHECK (starts_on <= ends_on),
  CONSTRAINT directory_term_dates_name_length_check CHECK (char_length(name) BETWEEN 1 AND 100)
);
CREATE INDEX directory_term_dates_area_idx ON directory_term_dates (la_code, starts_on);
COMMENT ON TABLE directory_term_dates IS 'School terms (or half terms) of a local authority: the days a "term time only" session runs. A day outside every term is a school holiday.';

CREATE TRIGGER directory_term_dates_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_term_dates
  FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_generation();

CREATE TABLE directory_review_reminders (
  id bigserial PRIMARY KEY,
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  assured_date date,
  recipients integer NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX directory_review_reminders_service_idx ON directory_review_reminders (service_id, sent_at);
COMMENT ON TABLE directory_review_reminders IS 'Reminders queued (through the outbox) to a service''s managers that its entry needs checking. No trigger: sending a reminder does not change the directory.';
