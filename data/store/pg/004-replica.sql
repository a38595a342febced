-- SPDX-License-Identifier: GPL-3.0-or-later
-- 3 → 4: what a local replica needs (README, "Team server"): a revision of each table, so
-- that opening a workspace sends only what changed since the replica last read it; and
-- partners adding comments on their own projects.

-- name → the revision of the last committed statement that changed the table. The numbers
-- tell nothing of the rows, so every role may read them.
CREATE TABLE table_revision (
  name text PRIMARY KEY,
  revision bigint NOT NULL);
CREATE SEQUENCE revision_number;

CREATE FUNCTION bump_revision () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
BEGIN
  INSERT INTO table_revision (name, revision) VALUES (TG_TABLE_NAME, nextval ('revision_number'))
    ON CONFLICT (name) DO UPDATE SET revision = excluded.revision;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['geography', 'area', 'measure', 'period', 'stratum', 'age_group',
                           'outcome_value', 'outcome_withheld', 'area_attribute', 'partner',
                           'project', 'project_partner', 'project_area', 'milestone',
                           'comment', 'setting', 'published_rate', 'member']
  LOOP
    EXECUTE format ('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I'
                    ' FOR EACH STATEMENT EXECUTE FUNCTION bump_revision ()',
                    t || '_revision', t);
  END LOOP;
END $$;

-- period, stratum and the policy never notified: a replica would miss a new period alone.
CREATE TRIGGER period_notify AFTER INSERT OR UPDATE OR DELETE ON period
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER stratum_notify AFTER INSERT OR UPDATE OR DELETE ON stratum
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER area_notify AFTER INSERT OR UPDATE OR DELETE ON area
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER area_attribute_notify AFTER INSERT OR UPDATE OR DELETE ON area_attribute
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();

GRANT SELECT ON table_revision TO @owner@, @analyst@, @viewer@, @partner@;

-- The policy a partner's figures were published under (partners read no setting): their
-- replica suppresses by the same rule, never by a looser one.
CREATE FUNCTION workspace_policy () RETURNS TABLE (key text, value text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
  SELECT key, value FROM setting WHERE key LIKE 'suppression.%' $$;
GRANT EXECUTE ON FUNCTION workspace_policy () TO @partner@, @viewer@;

-- Partners add comments on the projects of the organization they speak for, and on
-- nothing else: row-level security on comment, checked by the server. Everyone else keeps
-- what the grants of 002 gave them.
CREATE FUNCTION is_partner_project (a_project_id bigint) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
  SELECT EXISTS (SELECT 1 FROM project_partner
                 WHERE project_id = a_project_id AND partner_id = member_partner ()) $$;

ALTER TABLE comment ENABLE ROW LEVEL SECURITY;
CREATE POLICY team ON comment TO @owner@, @analyst@, @viewer@ USING (true) WITH CHECK (true);
CREATE POLICY partner_adds ON comment FOR INSERT TO @partner@
  WITH CHECK (project_id IS NOT NULL AND is_partner_project (project_id));
GRANT INSERT (project_id, area_id, author, body, created_at) ON comment TO @partner@;
GRANT USAGE ON SEQUENCE comment_id_seq TO @partner@;
-- The area a partner's comment is about, for the replica's pins.
CREATE OR REPLACE VIEW partner_comment WITH (security_barrier) AS
  SELECT c.id, c.project_id, c.author, c.body, c.created_at, c.area_id
  FROM comment c
  WHERE c.project_id IN (SELECT project_id FROM project_partner
                         WHERE partner_id = member_partner ());

-- The published figures were computed under the policy: once it changes they are no longer
-- what it would publish, and a stricter policy would hide some of them. They go at once;
-- 'tractwise-cli publish --figures-only URI' computes them again.
CREATE FUNCTION forget_published () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
BEGIN
  IF coalesce (NEW.key, OLD.key) LIKE 'suppression.%'
     AND (TG_OP <> 'UPDATE' OR NEW.value IS DISTINCT FROM OLD.value) THEN
    DELETE FROM published_rate;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER setting_policy AFTER INSERT OR UPDATE OR DELETE ON setting
  FOR EACH ROW EXECUTE FUNCTION forget_published ();
