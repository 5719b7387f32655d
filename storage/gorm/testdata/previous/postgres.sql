-- The schema the release before versioned migrations created (AutoMigrate
-- of its models), dumped from a database it set up, for the upgrade tests.
CREATE TABLE gobware_login_failures (
    key_hash character varying(64) NOT NULL,
    failures bigint NOT NULL,
    last_at timestamp(6) with time zone NOT NULL,
    expires_at timestamp(6) with time zone NOT NULL,
    version bigint DEFAULT 0 NOT NULL
);
CREATE TABLE gobware_passkey_challenges (
    hash character varying(64) NOT NULL,
    ceremony character varying(16) NOT NULL,
    user_id character varying(255) NOT NULL,
    expires_at timestamp(6) with time zone NOT NULL
);
CREATE TABLE gobware_passkeys (
    id_hash character varying(64) NOT NULL,
    credential_id character varying(1400) NOT NULL,
    user_id character varying(255) NOT NULL,
    name character varying(256) NOT NULL,
    public_key bytea NOT NULL,
    sign_count bigint NOT NULL,
    aaguid bytea,
    transports character varying(255) NOT NULL,
    attestation_format character varying(32) NOT NULL,
    backup_eligible boolean NOT NULL,
    backup_state boolean NOT NULL,
    created_at timestamp(6) with time zone NOT NULL,
    last_used_at timestamp(6) with time zone
);
CREATE TABLE gobware_refresh_families (
    id character varying(64) NOT NULL,
    user_id character varying(255) NOT NULL,
    generation bigint NOT NULL,
    current_hash character varying(64) NOT NULL,
    previous_hash character varying(64) NOT NULL,
    rotated_at timestamp(6) with time zone,
    created_at timestamp(6) with time zone NOT NULL,
    expires_at timestamp(6) with time zone NOT NULL,
    revoked boolean DEFAULT false NOT NULL
);
CREATE TABLE gobware_revocation_watermarks (
    subject character varying(64) NOT NULL,
    revoked_us bigint NOT NULL,
    expires_us bigint NOT NULL
);
CREATE TABLE gobware_sessions (
    hash character varying(64) NOT NULL,
    user_id character varying(255) NOT NULL,
    created_at timestamp(6) with time zone NOT NULL,
    last_seen_at timestamp(6) with time zone NOT NULL,
    idle_until timestamp(6) with time zone NOT NULL,
    expires_at timestamp(6) with time zone NOT NULL,
    user_agent character varying(256) NOT NULL,
    ip character varying(64) NOT NULL
);
ALTER TABLE ONLY gobware_login_failures
    ADD CONSTRAINT gobware_login_failures_pkey PRIMARY KEY (key_hash);
ALTER TABLE ONLY gobware_passkey_challenges
    ADD CONSTRAINT gobware_passkey_challenges_pkey PRIMARY KEY (hash);
ALTER TABLE ONLY gobware_passkeys
    ADD CONSTRAINT gobware_passkeys_pkey PRIMARY KEY (id_hash);
ALTER TABLE ONLY gobware_refresh_families
    ADD CONSTRAINT gobware_refresh_families_pkey PRIMARY KEY (id);
ALTER TABLE ONLY gobware_revocation_watermarks
    ADD CONSTRAINT gobware_revocation_watermarks_pkey PRIMARY KEY (subject);
ALTER TABLE ONLY gobware_sessions
    ADD CONSTRAINT gobware_sessions_pkey PRIMARY KEY (hash);
CREATE INDEX idx_gobware_login_failures_expires_at ON gobware_login_failures USING btree (expires_at);
CREATE INDEX idx_gobware_passkey_challenges_expires_at ON gobware_passkey_challenges USING btree (expires_at);
CREATE INDEX idx_gobware_passkeys_user_id ON gobware_passkeys USING btree (user_id);
CREATE INDEX idx_gobware_refresh_families_expires_at ON gobware_refresh_families USING btree (expires_at);
CREATE INDEX idx_gobware_refresh_families_user_id ON gobware_refresh_families USING btree (user_id);
CREATE INDEX idx_gobware_revocation_watermarks_expires_us ON gobware_revocation_watermarks USING btree (expires_us);
CREATE INDEX idx_gobware_sessions_expires_at ON gobware_sessions USING btree (expires_at);
CREATE INDEX idx_gobware_sessions_idle_until ON gobware_sessions USING btree (idle_until);
CREATE INDEX idx_gobware_sessions_user_id ON gobware_sessions USING btree (user_id);
