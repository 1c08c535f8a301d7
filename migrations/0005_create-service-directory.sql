-- Family hub service directory and the Start for Life offer: an HSDS 3.0 / Open Referral UK 3.0 data model.
-- Every id is a UUID, so that records keep their identity through the ORUK API, imports and exports.
-- PostgreSQL 15 compatible: no PG16+ syntax, no extensions (distance is haversine over a bounding-box index).

CREATE TABLE directory_organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid REFERENCES organisations (id),
  name text NOT NULL,
  description text NOT NULL,
  email text,
  website text,
  logo text,
  uri text,
  parent_id uuid REFERENCES directory_organisations (id),
  source text NOT NULL DEFAULT 'local',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT directory_organisations_name_length_check CHECK (char_length(name) BETWEEN 1 AND 300)
);
CREATE UNIQUE INDEX directory_organisations_organisation_unique ON directory_organisations (organisation_id)
  WHERE organisation_id IS NOT NULL;
COMMENT ON TABLE directory_organisations IS 'Organisations that provide services in the directory (HSDS organization). organisation_id links one to the platform organisation whose staff manage its services; imported ones have none.';
COMMENT ON COLUMN directory_organisations.source IS 'local, or import:<file> for records loaded from an ORUK feed.';

CREATE TABLE directory_organisation_identifiers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_organisation_id uuid NOT NULL REFERENCES directory_organisations (id) ON DELETE CASCADE,
  identifier_scheme text,
  identifier_type text NOT NULL,
  identifier text NOT NULL
);
CREATE INDEX directory_organisation_identifiers_organisation_idx ON directory_organisation_identifiers (directory_organisation_id);
COMMENT ON TABLE directory_organisation_identifiers IS 'Companies House, charity and other registration numbers of a directory organisation.';

CREATE TABLE directory_networks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  la_code text NOT NULL,
  directory_organisation_id uuid REFERENCES directory_organisations (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT directory_networks_slug_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);
COMMENT ON TABLE directory_networks IS 'Family hub networks: a hub, its spokes, outreach venues and online offer (locations with network_id and site_role).';

CREATE TABLE directory_locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_organisation_id uuid REFERENCES directory_organisations (id),
  network_id uuid REFERENCES directory_networks (id),
  site_role text,
  location_type text NOT NULL DEFAULT 'physical',
  name text NOT NULL,
  description text,
  address_1 text,
  address_2 text,
  city text,
  state_province text,
  postal_code text,
  country text NOT NULL DEFAULT 'GB',
  latitude double precision,
  longitude double precision,
  la_code text,
  url text,
  external_identifier text,
  external_identifier_type text,
  source text NOT NULL DEFAULT 'local',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT directory_locations_type_check CHECK (location_type IN ('physical', 'postal', 'virtual')),
  CONSTRAINT directory_locations_site_role_check CHECK (site_role IS NULL OR site_role IN ('hub', 'spoke', 'outreach', 'online')),
  CONSTRAINT directory_locations_network_role_check CHECK ((network_id IS NULL) = (site_role IS NULL)),
  CONSTRAINT directory_locations_coordinates_check CHECK ((latitude IS NULL) = (longitude IS NULL)
    AND (latitude IS NULL OR (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180))),
  CONSTRAINT directory_locations_name_length_check CHECK (char_length(name) BETWEEN 1 AND 300)
);
-- The proximity search prefilters on a bounding box of this index, then computes haversine distances in SQL.
CREATE INDEX directory_locations_position_idx ON directory_locations (latitude, longitude) WHERE latitude IS NOT NULL;
CREATE INDEX directory_locations_network_idx ON directory_locations (network_id) WHERE network_id IS NOT NULL;
COMMENT ON TABLE directory_locations IS 'Venues (physical), postal addresses and online offers (virtual) where services are delivered. The address is held inline (one address per location).';
COMMENT ON COLUMN directory_locations.la_code IS 'ONS code of the local authority the venue is in, from the postcode directory.';

CREATE TABLE directory_location_accessibility (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  location_id uuid NOT NULL REFERENCES directory_locations (id) ON DELETE CASCADE,
  feature text NOT NULL,
  description text,
  details text,
  url text,
  CONSTRAINT directory_location_accessibility_feature_check CHECK (feature ~ '^[a-z][a-z0-9-]*$')
);
CREATE INDEX directory_location_accessibility_location_idx ON directory_location_accessibility (location_id);
CREATE INDEX directory_location_accessibility_feature_idx ON directory_location_accessibility (feature, location_id);
COMMENT ON COLUMN directory_location_accessibility.feature IS 'A term code of the accessibility taxonomy (step-free, hearing-loop, …), or other.';

CREATE TABLE directory_services (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_organisation_id uuid NOT NULL REFERENCES directory_organisations (id),
  name text NOT NULL,
  summary text,
  description text NOT NULL DEFAULT '',
  url text,
  email text,
  workflow_status text NOT NULL DEFAULT 'draft',
  operating_status text NOT NULL DEFAULT 'active',
  for_pregnancy boolean NOT NULL DEFAULT false,
  pregnancy_from_week smallint,
  pregnancy_to_week smallint,
  for_children boolean NOT NULL DEFAULT true,
  child_min_months smallint,
  child_max_months smallint,
  who_can_attend text,
  how_to_access text,
  is_free boolean NOT NULL DEFAULT true,
  fees_description text,
  accreditations text,
  alert text,
  assured_date date,
  assurer_email text,
  pending_version_id bigint,
  archived_at timestamptz,
  source text NOT NULL DEFAULT 'local',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('english', name || ' ' || coalesce(summary, '') || ' ' || description)) STORED,
  CONSTRAINT directory_services_workflow_status_check CHECK (workflow_status IN ('draft', 'awaiting_approval', 'published', 'archived')),
  CONSTRAINT directory_services_operating_status_check CHECK (operating_status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
  CONSTRAINT directory_services_pregnancy_check CHECK (
    (pregnancy_from_week IS NULL OR pregnancy_from_week BETWEEN 0 AND 42)
    AND (pregnancy_to_week IS NULL OR pregnancy_to_week BETWEEN 0 AND 42)
    AND (pregnancy_from_week IS NULL OR pregnancy_to_week IS NULL OR pregnancy_from_week <= pregnancy_to_week)),
  CONSTRAINT directory_services_child_age_check CHECK (
    (child_min_months IS NULL OR child_min_months BETWEEN 0 AND 300)
    AND (child_max_months IS NULL OR child_max_months BETWEEN 0 AND 300)
    AND (child_min_months IS NULL OR child_max_months IS NULL OR child_min_months <= child_max_months)),
  CONSTRAINT directory_services_eligibility_check CHECK (for_pregnancy OR for_children),
  CONSTRAINT directory_services_name_length_check CHECK (char_length(name) BETWEEN 1 AND 300)
);
CREATE INDEX directory_services_organisation_idx ON directory_services (directory_organisation_id);
CREATE INDEX directory_services_published_idx ON directory_services (updated_at) WHERE workflow_status = 'published';
CREATE INDEX directory_services_search_idx ON directory_services USING gin (search_vector);
COMMENT ON TABLE directory_services IS 'Services (HSDS service). Only published services appear on public pages and in the ORUK API.';
COMMENT ON COLUMN directory_services.workflow_status IS 'draft → awaiting_approval → published → archived (and back by restore).';
COMMENT ON COLUMN directory_services.operating_status IS 'The ORUK service status: active, inactive, defunct or temporarily closed.';
COMMENT ON COLUMN directory_services.child_min_months IS 'Youngest child age served, in months; NULL means from birth.';
COMMENT ON COLUMN directory_services.child_max_months IS 'Oldest child age served, in months (inclusive); NULL means no upper limit.';
COMMENT ON COLUMN directory_services.assured_date IS 'When the owner last checked the entry is right (ORUK assured_date). Older than 3 months: needs review.';
COMMENT ON COLUMN directory_services.pending_version_id IS 'A change waiting for directory-admin approval (directory_service_versions.id).';

CREATE TABLE directory_service_at_locations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  location_id uuid NOT NULL REFERENCES directory_locations (id),
  description text,
  CONSTRAINT directory_service_at_locations_unique UNIQUE (service_id, location_id)
);
CREATE INDEX directory_service_at_locations_location_idx ON directory_service_at_locations (location_id);
COMMENT ON TABLE directory_service_at_locations IS 'Where each service is delivered (HSDS service_at_location).';

CREATE TABLE directory_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  service_at_location_id uuid REFERENCES directory_service_at_locations (id) ON DELETE CASCADE,
  kind text NOT NULL DEFAULT 'regular',
  freq text,
  "interval" smallint,
  byday text,
  bymonthday text,
  day_mask smallint NOT NULL DEFAULT 0,
  opens_at time,
  closes_at time,
  dtstart date,
  valid_from date,
  valid_to date,
  term_time_only boolean NOT NULL DEFAULT false,
  description text,
  notes text,
  attending_type text,
  schedule_link text,
  CONSTRAINT directory_schedules_kind_check CHECK (kind IN ('regular', 'event', 'closure')),
  CONSTRAINT directory_schedules_freq_check CHECK (freq IS NULL OR freq IN ('WEEKLY', 'MONTHLY')),
  CONSTRAINT directory_schedules_regular_check CHECK (kind <> 'regular' OR freq IS NOT NULL),
  CONSTRAINT directory_schedules_event_check CHECK (kind <> 'event' OR dtstart IS NOT NULL),
  CONSTRAINT directory_schedules_closure_check CHECK (kind <> 'closure' OR (valid_from IS NOT NULL AND valid_to IS NOT NULL)),
  CONSTRAINT directory_schedules_times_check CHECK (opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at),
  CONSTRAINT directory_schedules_day_mask_check CHECK (day_mask BETWEEN 0 AND 127)
);
CREATE INDEX directory_schedules_service_idx ON directory_schedules (service_id);
COMMENT ON TABLE directory_schedules IS 'Opening times (an RFC 5545 RRULE subset, as HSDS schedule): regular sessions (two rows for a split session), one-off events, and closures (holidays).';
COMMENT ON COLUMN directory_schedules.day_mask IS 'Days the session runs, for searching: bit 0 Monday … bit 6 Sunday. Derived from byday, or from dtstart for an event.';

CREATE TABLE directory_cost_options (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  option text,
  amount numeric(10, 2),
  amount_description text,
  valid_from date,
  valid_to date,
  CONSTRAINT directory_cost_options_amount_check CHECK (amount IS NULL OR amount >= 0)
);
CREATE INDEX directory_cost_options_service_idx ON directory_cost_options (service_id);

CREATE TABLE directory_service_languages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  code text NOT NULL,
  name text NOT NULL,
  note text,
  CONSTRAINT directory_service_languages_unique UNIQUE (service_id, code),
  CONSTRAINT directory_service_languages_code_check CHECK (code ~ '^[a-z]{2,3}(-[A-Za-z0-9]+)*$')
);
CREATE INDEX directory_service_languages_code_idx ON directory_service_languages (code, service_id);
COMMENT ON COLUMN directory_service_languages.code IS 'ISO 639 language code (en, pl, ur, bsl for British Sign Language).';

CREATE TABLE directory_contacts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  name text,
  title text,
  email text
);
CREATE INDEX directory_contacts_service_idx ON directory_contacts (service_id);
COMMENT ON TABLE directory_contacts IS 'Public contact points of a service (a role or team, not a member of staff''s personal details).';

CREATE TABLE directory_phones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  contact_id uuid REFERENCES directory_contacts (id) ON DELETE CASCADE,
  number text NOT NULL,
  description text,
  kind text NOT NULL DEFAULT 'voice',
  CONSTRAINT directory_phones_kind_check CHECK (kind IN ('voice', 'text', 'textphone'))
);
CREATE INDEX directory_phones_service_idx ON directory_phones (service_id);

CREATE TABLE directory_service_areas (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  name text,
  la_code text,
  extent text,
  extent_type text,
  uri text
);
CREATE INDEX directory_service_areas_service_idx ON directory_service_areas (service_id);
COMMENT ON TABLE directory_service_areas IS 'Where a service takes people from. With la_code set, a postcode search only finds the service for postcodes in that local authority; with no area, anyone may use it.';

CREATE TABLE directory_funding (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  source text NOT NULL
);
CREATE INDEX directory_funding_service_idx ON directory_funding (service_id);

CREATE TABLE directory_taxonomies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  description text NOT NULL,
  uri text,
  version text,
  source text NOT NULL DEFAULT 'local'
);
COMMENT ON TABLE directory_taxonomies IS 'Vocabularies: Start for Life categories, DfE family hub categories, delivery, site type, accessibility, and any imported.';

CREATE TABLE directory_taxonomy_terms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  taxonomy_id uuid NOT NULL REFERENCES directory_taxonomies (id),
  code text NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  parent_id uuid REFERENCES directory_taxonomy_terms (id),
  term_uri text,
  sort_order integer NOT NULL DEFAULT 0,
  CONSTRAINT directory_taxonomy_terms_code_unique UNIQUE (taxonomy_id, code)
);
CREATE INDEX directory_taxonomy_terms_parent_idx ON directory_taxonomy_terms (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE directory_service_terms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  term_id uuid NOT NULL REFERENCES directory_taxonomy_terms (id),
  CONSTRAINT directory_service_terms_unique UNIQUE (service_id, term_id)
);
CREATE INDEX directory_service_terms_term_idx ON directory_service_terms (term_id, service_id);
COMMENT ON TABLE directory_service_terms IS 'Categories and delivery methods of a service (HSDS attribute, link_type service). id is the attribute id.';

CREATE TABLE directory_service_versions (
  id bigserial PRIMARY KEY,
  service_id uuid NOT NULL REFERENCES directory_services (id) ON DELETE CASCADE,
  version integer NOT NULL,
  kind text NOT NULL,
  snapshot jsonb NOT NULL,
  changed_fields text[] NOT NULL DEFAULT '{}',
  note text,
  user_id uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT directory_service_versions_unique UNIQUE (service_id, version),
  CONSTRAINT directory_service_versions_kind_check CHECK (kind IN
    ('created', 'edited', 'proposed', 'approved', 'rejected', 'submitted', 'published', 'archived', 'restored', 'assured', 'imported'))
);
COMMENT ON TABLE directory_service_versions IS 'Version history of every service: each change, with a snapshot of the editable fields after it. kind proposed is a change awaiting approval.';

ALTER TABLE directory_services ADD CONSTRAINT directory_services_pending_version_fkey
  FOREIGN KEY (pending_version_id) REFERENCES directory_service_versions (id);
