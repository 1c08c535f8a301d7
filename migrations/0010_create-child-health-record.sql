-- The digital red book (personal child health record): birth details, growth measurements with their correction
-- history, and notes parents and carers add. Growth SDS and centiles are never stored: they are worked out from these
-- rows by the growth engine (src/features/child-health/growth), so a corrected engine corrects every page at once.

CREATE TABLE child_birth_details (
  person_id uuid PRIMARY KEY REFERENCES people (id),
  birth_date date NOT NULL,
  birth_time time without time zone,
  gestation_weeks smallint NOT NULL,
  gestation_days smallint NOT NULL DEFAULT 0,
  birth_weight_grams integer,
  birth_order smallint NOT NULL DEFAULT 1,
  la_code text NOT NULL,
  recorded_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- rcpchgrowth / RCPCH API limits (MINIMUM_GESTATION_WEEKS, MAXIMUM_GESTATION_WEEKS)
  CONSTRAINT child_birth_details_gestation_weeks_check CHECK (gestation_weeks BETWEEN 22 AND 44),
  CONSTRAINT child_birth_details_gestation_days_check CHECK (gestation_days BETWEEN 0 AND 6),
  CONSTRAINT child_birth_details_birth_weight_check CHECK (birth_weight_grams IS NULL OR birth_weight_grams BETWEEN 200 AND 7000),
  CONSTRAINT child_birth_details_birth_order_check CHECK (birth_order BETWEEN 1 AND 8)
);
COMMENT ON TABLE child_birth_details IS 'Birth details of a child (NHS Digital Child Health event CH005): the basis of gestational age correction.';
COMMENT ON COLUMN child_birth_details.birth_date IS 'Personal data: date of birth as recorded at birth.';
COMMENT ON COLUMN child_birth_details.birth_time IS 'Personal data: local time of birth.';
COMMENT ON COLUMN child_birth_details.gestation_weeks IS 'Special category personal data (health): completed weeks of gestation at birth.';
COMMENT ON COLUMN child_birth_details.gestation_days IS 'Special category personal data (health): days beyond the completed weeks of gestation.';
COMMENT ON COLUMN child_birth_details.birth_weight_grams IS 'Special category personal data (health): birth weight in grams.';
COMMENT ON COLUMN child_birth_details.birth_order IS 'Personal data: order of birth in a multiple birth (1 for a single birth).';
COMMENT ON COLUMN child_birth_details.recorded_by IS 'The user who recorded the details; null when they came from the birth notification.';

CREATE TABLE growth_measurements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  observation_date date NOT NULL,
  measurement_method text NOT NULL,
  unit text NOT NULL,
  value numeric(7, 3) NOT NULL,
  measured_by_user_id uuid REFERENCES users (id),
  measured_by_role text,
  source text NOT NULL,
  place text,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  superseded_by uuid REFERENCES growth_measurements (id),
  corrected_from uuid UNIQUE REFERENCES growth_measurements (id),
  correction_reason text,
  la_code text NOT NULL,
  -- BMI is never stored: it is worked out when a weight and a height share a date.
  CONSTRAINT growth_measurements_method_check CHECK (measurement_method IN ('weight', 'height', 'ofc')),
  CONSTRAINT growth_measurements_unit_check CHECK (
    (measurement_method = 'weight' AND unit = 'kg') OR (measurement_method IN ('height', 'ofc') AND unit = 'cm')),
  -- Hard limits: anything outside them is a typing or unit error whatever the child's age.
  CONSTRAINT growth_measurements_value_check CHECK (
    (measurement_method = 'weight' AND value BETWEEN 0.2 AND 250)
    OR (measurement_method = 'height' AND value BETWEEN 20 AND 250)
    OR (measurement_method = 'ofc' AND value BETWEEN 15 AND 80)),
  CONSTRAINT growth_measurements_source_check CHECK (source IN ('practitioner', 'parent')),
  CONSTRAINT growth_measurements_place_check CHECK (place IS NULL OR char_length(place) <= 100),
  CONSTRAINT growth_measurements_correction_check CHECK ((corrected_from IS NULL) = (correction_reason IS NULL)),
  CONSTRAINT growth_measurements_correction_reason_check CHECK (
    correction_reason IS NULL OR char_length(correction_reason) BETWEEN 1 AND 500),
  CONSTRAINT growth_measurements_not_self_check CHECK (superseded_by <> id AND corrected_from <> id)
);
CREATE INDEX growth_measurements_person_idx ON growth_measurements (person_id, observation_date);
COMMENT ON TABLE growth_measurements IS 'Weights, lengths/heights and head circumferences. A correction adds a row (corrected_from) and marks the old one superseded_by it: history is never rewritten.';
COMMENT ON COLUMN growth_measurements.observation_date IS 'Personal data: the day the child was measured.';
COMMENT ON COLUMN growth_measurements.value IS 'Special category personal data (health): the measurement, in kg (weight) or cm (length/height, head circumference).';
COMMENT ON COLUMN growth_measurements.measured_by_role IS 'The profession (health_visitor, midwife…) or role of the person who measured, kept as it was at the time.';
COMMENT ON COLUMN growth_measurements.place IS 'Personal data: where the child was measured (home, clinic, family hub…).';
COMMENT ON COLUMN growth_measurements.correction_reason IS 'Special category personal data (health): why the value was corrected.';

-- Corrections keep history: a row may only gain its superseded_by, once; nothing else in it ever changes. (Deleting
-- stays possible for retention and erasure, which remove a child's whole record.)
CREATE FUNCTION growth_measurements_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
     OR (to_jsonb(NEW) - 'superseded_by') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_by') THEN
    RAISE EXCEPTION 'growth_measurements keeps its history: only superseded_by may be set, once'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER growth_measurements_history BEFORE UPDATE ON growth_measurements
  FOR EACH ROW EXECUTE FUNCTION growth_measurements_keep_history();

CREATE TABLE red_book_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES people (id),
  author_user_id uuid NOT NULL REFERENCES users (id),
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  la_code text NOT NULL,
  CONSTRAINT red_book_notes_text_check CHECK (char_length(text) BETWEEN 1 AND 2000)
);
CREATE INDEX red_book_notes_person_idx ON red_book_notes (person_id, created_at);
COMMENT ON TABLE red_book_notes IS 'Notes a parent or carer adds to their child''s red book (DCH CH022 parent/guardian comment); practitioners with a care relationship see them.';
COMMENT ON COLUMN red_book_notes.text IS 'Special category personal data (may describe the child''s health).';
