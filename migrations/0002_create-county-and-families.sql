-- Geography, households, people and care relationships: what every personal-data feature builds on.
-- Every personal-data table carries la_code so that national-scale distribution by local authority stays a
-- configuration step (docs/architecture.md).
CREATE TABLE districts (
  code text PRIMARY KEY,
  name text NOT NULL,
  la_code text NOT NULL
);
COMMENT ON TABLE districts IS 'Districts (lower-tier local authorities or localities) of the county.';

CREATE TABLE small_areas (
  code text PRIMARY KEY,
  name text NOT NULL,
  district_code text NOT NULL REFERENCES districts (code),
  la_code text NOT NULL,
  imd_decile smallint NOT NULL,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  CONSTRAINT small_areas_imd_decile_check CHECK (imd_decile BETWEEN 1 AND 10)
);
CREATE INDEX small_areas_district_idx ON small_areas (district_code);
COMMENT ON TABLE small_areas IS 'LSOA-like small areas with their Index of Multiple Deprivation decile (1 = most deprived).';

CREATE TABLE postcodes (
  postcode text PRIMARY KEY,
  latitude double precision NOT NULL,
  longitude double precision NOT NULL,
  lsoa_code text,
  la_code text,
  CONSTRAINT postcodes_format_check CHECK (postcode ~ '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$')
);
COMMENT ON TABLE postcodes IS 'Offline postcode directory (ONS Postcode Directory format): postcode to coordinates and area.';

CREATE TABLE families (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  la_code text NOT NULL,
  small_area_code text REFERENCES small_areas (code),
  address_line text,
  postcode text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX families_small_area_idx ON families (small_area_code);
COMMENT ON TABLE families IS 'Households: the family record that practitioners with a care relationship share.';
COMMENT ON COLUMN families.address_line IS 'Personal data: the household''s address.';
COMMENT ON COLUMN families.postcode IS 'Personal data: the household''s postcode.';

CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  la_code text NOT NULL,
  given_name text NOT NULL,
  family_name text NOT NULL,
  date_of_birth date,
  sex text,
  nhs_number text,
  ethnicity text,
  free_school_meals boolean NOT NULL DEFAULT false,
  send boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT people_sex_check CHECK (sex IS NULL OR sex IN ('female', 'male')),
  CONSTRAINT people_nhs_number_format_check CHECK (nhs_number IS NULL OR nhs_number ~ '^[0-9]{10}$')
);
CREATE UNIQUE INDEX people_nhs_number_unique ON people (nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX people_date_of_birth_idx ON people (date_of_birth);
COMMENT ON TABLE people IS 'Children and adults known to the service.';
COMMENT ON COLUMN people.given_name IS 'Personal data.';
COMMENT ON COLUMN people.family_name IS 'Personal data.';
COMMENT ON COLUMN people.date_of_birth IS 'Personal data.';
COMMENT ON COLUMN people.nhs_number IS 'Personal data: NHS number, the consistent child identifier.';
COMMENT ON COLUMN people.ethnicity IS 'Special category personal data (UK GDPR Article 9).';
COMMENT ON COLUMN people.free_school_meals IS 'Personal data: eligibility for free school meals / early years pupil premium.';
COMMENT ON COLUMN people.send IS 'Special category personal data: special educational needs or disability.';

CREATE TABLE family_members (
  family_id uuid NOT NULL REFERENCES families (id),
  person_id uuid NOT NULL REFERENCES people (id),
  relationship text NOT NULL,
  parental_responsibility boolean NOT NULL DEFAULT false,
  PRIMARY KEY (family_id, person_id),
  CONSTRAINT family_members_relationship_check CHECK (relationship IN
    ('child', 'mother', 'father', 'parent', 'carer', 'grandparent', 'sibling', 'other'))
);
CREATE INDEX family_members_person_idx ON family_members (person_id);
COMMENT ON TABLE family_members IS 'Who belongs to which household, and who holds parental responsibility.';

ALTER TABLE users ADD COLUMN person_id uuid REFERENCES people (id);
COMMENT ON COLUMN users.person_id IS 'For a parent/carer account: the person record it was linked to by an invitation code.';

CREATE TABLE family_link_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id uuid NOT NULL REFERENCES families (id),
  person_id uuid NOT NULL REFERENCES people (id),
  code_hash text NOT NULL UNIQUE,
  created_by uuid NOT NULL REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE family_link_codes IS 'Invitation codes a practitioner gives a parent/carer to link their account to their family record.';

CREATE TABLE care_relationships (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id uuid NOT NULL REFERENCES families (id),
  holder_user_id uuid REFERENCES users (id),
  holder_team_id uuid REFERENCES teams (id),
  kind text NOT NULL,
  basis text NOT NULL,
  starts_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  ended_at timestamptz,
  la_code text NOT NULL,
  CONSTRAINT care_relationships_holder_check CHECK (num_nonnulls(holder_user_id, holder_team_id) = 1),
  CONSTRAINT care_relationships_kind_check CHECK (kind IN ('allocated_worker', 'lead_practitioner', 'taf_member',
    'service_episode', 'triage', 'referral_recipient', 'break_glass', 'caseload'))
);
CREATE INDEX care_relationships_family_idx ON care_relationships (family_id);
CREATE INDEX care_relationships_user_idx ON care_relationships (holder_user_id);
CREATE INDEX care_relationships_team_idx ON care_relationships (holder_team_id);
COMMENT ON TABLE care_relationships IS 'Legitimate relationships: who may open which family''s record, why, and until when.';

CREATE TABLE eyfsp_results (
  person_id uuid PRIMARY KEY REFERENCES people (id),
  academic_year text NOT NULL,
  good_level_of_development boolean NOT NULL,
  la_code text NOT NULL
);
COMMENT ON TABLE eyfsp_results IS 'Early Years Foundation Stage Profile outcome (Good Level of Development) at the end of reception.';
COMMENT ON COLUMN eyfsp_results.good_level_of_development IS 'Personal data: the child''s assessment outcome.';
