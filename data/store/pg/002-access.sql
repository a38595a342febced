-- SPDX-License-Identifier: GPL-3.0-or-later
-- 1 → 2: who may read and write what, enforced by the server. @owner@, @analyst@, @viewer@
-- and @partner@ are the workspace's group roles (created before this runs); a member is a
-- login role granted one of them (tractwise-cli member add).

CREATE TABLE member (
  login text PRIMARY KEY,
  role text NOT NULL CHECK (role IN ('owner','analyst','viewer','partner')),
  -- County FIPS codes (5 digits) the member is limited to; NULL: every area.
  counties text[] CHECK (counties IS NULL OR cardinality (counties) > 0),
  -- The partner organization a partner member speaks for.
  partner_id bigint REFERENCES partner (id) ON DELETE SET NULL,
  added_by text NOT NULL DEFAULT session_user,
  added_at timestamptz NOT NULL DEFAULT now());

-- Read by the policies with the rights of the workspace's owner: members cannot read the
-- member table, only their own scope through these.
CREATE FUNCTION member_counties () RETURNS text[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
  SELECT counties FROM member WHERE login = session_user $$;

CREATE FUNCTION member_partner () RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
  SELECT partner_id FROM member WHERE login = session_user AND role = 'partner' $$;

CREATE FUNCTION in_scope (area_geoid text) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = @schema@, pg_temp AS $$
  SELECT c IS NULL OR left (area_geoid, 5) = ANY (c) FROM member_counties () AS c $$;

CREATE FUNCTION area_in_scope (an_area_id bigint) RETURNS boolean
  LANGUAGE sql STABLE SET search_path = @schema@, pg_temp AS $$
  SELECT member_counties () IS NULL
         OR EXISTS (SELECT 1 FROM area WHERE id = an_area_id) $$;

-- County scoping: a member with counties sees (and writes) only their areas and the
-- figures of those areas. The table owner (who published) is not bound by it.
ALTER TABLE area ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON area USING (in_scope (geoid));
ALTER TABLE published_rate ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON published_rate USING (in_scope (geoid));
ALTER TABLE outcome_value ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON outcome_value USING (area_in_scope (area_id));
ALTER TABLE outcome_withheld ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON outcome_withheld USING (area_in_scope (area_id));
ALTER TABLE area_attribute ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope ON area_attribute USING (area_in_scope (area_id));

-- A partner's projects and comments: views with the owner's rights that filter on the
-- partner the member speaks for. No count, budget or internal note is in them.
CREATE VIEW partner_project WITH (security_barrier) AS
  SELECT p.id, p.title, p.aim, m.code AS measure, p.stratum, p.start_date, p.end_date,
         p.status, p.goal_percent
  FROM project p LEFT JOIN measure m ON m.id = p.measure_id
  WHERE p.id IN (SELECT project_id FROM project_partner WHERE partner_id = member_partner ());

CREATE VIEW partner_project_area WITH (security_barrier) AS
  SELECT pa.project_id, a.geoid
  FROM project_area pa JOIN area a ON a.id = pa.area_id
  WHERE pa.project_id IN (SELECT project_id FROM project_partner
                          WHERE partner_id = member_partner ());

CREATE VIEW partner_comment WITH (security_barrier) AS
  SELECT c.id, c.project_id, c.author, c.body, c.created_at
  FROM comment c
  WHERE c.project_id IN (SELECT project_id FROM project_partner
                         WHERE partner_id = member_partner ());

GRANT USAGE ON SCHEMA @schema@ TO @owner@, @analyst@, @viewer@, @partner@;

GRANT SELECT ON schema_version TO @analyst@, @viewer@, @partner@;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA @schema@ TO @owner@;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA @schema@ TO @owner@;

GRANT SELECT, INSERT, UPDATE, DELETE ON
  geography, area, measure, period, stratum, age_group, outcome_value, outcome_withheld,
  area_attribute, partner, project, project_partner, project_area, milestone, comment,
  setting, audit_log, published_rate
  TO @analyst@;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA @schema@ TO @analyst@;

-- Viewers read what is published: no count of outcome_value or outcome_withheld.
GRANT SELECT ON
  geography, area, measure, period, stratum, area_attribute, partner, project,
  project_partner, project_area, milestone, comment, setting, published_rate
  TO @viewer@;

-- Partners: the published figures, the map's areas and their own projects, nothing raw.
GRANT SELECT ON geography, area, measure, published_rate, partner_project,
  partner_project_area, partner_comment TO @partner@;
