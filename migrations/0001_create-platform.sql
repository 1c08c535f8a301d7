-- Platform: organisations, teams, roles and permissions, users, sessions, MFA, audit trail, outbox.
CREATE TABLE organisations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL,
  la_code text NOT NULL,
  ods_code text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  CONSTRAINT organisations_kind_check CHECK (kind IN
    ('local_authority', 'nhs_trust', 'gp_practice', 'school_nursery', 'voluntary_organisation')),
  CONSTRAINT organisations_name_length_check CHECK (char_length(name) BETWEEN 2 AND 200)
);
CREATE UNIQUE INDEX organisations_name_unique ON organisations (lower(name));
COMMENT ON TABLE organisations IS 'Organisations taking part: the local authority, NHS trusts, GP practices, schools and nurseries, voluntary organisations.';

CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT teams_name_length_check CHECK (char_length(name) BETWEEN 2 AND 200)
);
CREATE UNIQUE INDEX teams_organisation_name_unique ON teams (organisation_id, lower(name));
COMMENT ON TABLE teams IS 'Teams within an organisation (a health visiting team, a family hub team).';

CREATE TABLE roles (
  code text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL,
  staff boolean NOT NULL
);
COMMENT ON TABLE roles IS 'Roles are bundles of permissions; which permissions each role holds is data a system administrator can change.';

CREATE TABLE role_permissions (
  role_code text NOT NULL REFERENCES roles (code),
  permission text NOT NULL,
  PRIMARY KEY (role_code, permission)
);
COMMENT ON TABLE role_permissions IS 'The permissions (resource.action) each role grants.';

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL,
  email text NOT NULL,
  display_name text NOT NULL,
  role_code text NOT NULL REFERENCES roles (code),
  profession text,
  organisation_id uuid REFERENCES organisations (id),
  team_id uuid REFERENCES teams (id),
  password_hash text,
  mfa_secret_encrypted text,
  mfa_enabled_at timestamptz,
  mfa_last_step bigint NOT NULL DEFAULT 0,
  failed_sign_ins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  demo boolean NOT NULL DEFAULT false,
  la_code text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_signed_in_at timestamptz,
  CONSTRAINT users_kind_check CHECK (kind IN ('staff', 'parent')),
  CONSTRAINT users_profession_check CHECK (profession IS NULL OR profession IN
    ('health_visitor', 'midwife', 'family_support_worker', 'early_years_practitioner', 'social_worker')),
  CONSTRAINT users_staff_organisation_check CHECK (kind = 'parent' OR organisation_id IS NOT NULL),
  CONSTRAINT users_email_length_check CHECK (char_length(email) BETWEEN 3 AND 254),
  CONSTRAINT users_display_name_length_check CHECK (char_length(display_name) BETWEEN 1 AND 200)
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE INDEX users_organisation_idx ON users (organisation_id);
COMMENT ON TABLE users IS 'Staff and parent/carer accounts.';
COMMENT ON COLUMN users.email IS 'Personal data: the account holder''s email address.';
COMMENT ON COLUMN users.display_name IS 'Personal data: the account holder''s name.';
COMMENT ON COLUMN users.password_hash IS 'Secret: argon2id hash of the password.';
COMMENT ON COLUMN users.mfa_secret_encrypted IS 'Secret: TOTP key, AES-256-GCM encrypted with DATA_ENCRYPTION_KEY.';
COMMENT ON COLUMN users.mfa_last_step IS 'The last TOTP time step accepted, so that a code cannot be replayed.';

CREATE TABLE recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);
COMMENT ON TABLE recovery_codes IS 'One-time MFA recovery codes, stored as SHA-256 hashes.';

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  stage text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  ip text,
  user_agent text,
  CONSTRAINT sessions_stage_check CHECK (stage IN ('mfa_setup', 'mfa_verify', 'active'))
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
COMMENT ON TABLE sessions IS 'Server-side sessions. The cookie holds a random id; only its SHA-256 hash is stored.';
COMMENT ON COLUMN sessions.ip IS 'Personal data: the IP address the session started from.';

CREATE TABLE account_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  purpose text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT account_tokens_purpose_check CHECK (purpose IN ('invitation', 'password_reset'))
);
COMMENT ON TABLE account_tokens IS 'Single-use invitation and password-reset tokens, stored as SHA-256 hashes.';

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  user_id uuid,
  role_code text,
  organisation_id uuid,
  action text NOT NULL,
  subject_type text,
  subject_id text,
  purpose text,
  outcome text NOT NULL,
  reason text,
  request_id text,
  ip text,
  user_agent text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  CONSTRAINT audit_events_outcome_check CHECK (outcome IN ('allowed', 'denied', 'error')),
  CONSTRAINT audit_events_action_check CHECK (action ~ '^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$')
);
CREATE INDEX audit_events_user_idx ON audit_events (user_id, occurred_at);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id, occurred_at);
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at);
CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at);
COMMENT ON TABLE audit_events IS 'Insert-only audit trail of every access to personal data, sign-in and administrative action, including refusals.';
COMMENT ON COLUMN audit_events.ip IS 'Personal data: the IP address of the request.';
COMMENT ON COLUMN audit_events.details IS 'A curated summary (ids, counts, changed field names), never a copy of a record.';

-- The audit trail cannot be changed by anyone, the application's role included: no update, delete or truncate.
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is insert-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;

CREATE TABLE outbox_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel text NOT NULL,
  template text NOT NULL,
  recipient text NOT NULL,
  personalisation jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL DEFAULT 'queued',
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  last_error text,
  provider_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  CONSTRAINT outbox_messages_channel_check CHECK (channel IN ('email', 'sms')),
  CONSTRAINT outbox_messages_status_check CHECK (status IN
    ('queued', 'sending', 'sent', 'delivered', 'failed', 'unknown'))
);
CREATE INDEX outbox_messages_due_idx ON outbox_messages (next_attempt_at) WHERE status = 'queued';
COMMENT ON TABLE outbox_messages IS 'Every message the product sends, queued in the same transaction as the change that caused it.';
COMMENT ON COLUMN outbox_messages.recipient IS 'Personal data: email address or phone number.';
COMMENT ON COLUMN outbox_messages.personalisation IS 'Personal data kept to the minimum the template needs.';
