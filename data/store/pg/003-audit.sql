-- SPDX-License-Identifier: GPL-3.0-or-later
-- 2 → 3: the audit trail (who, what, when), written by triggers so that no client can
-- skip it, and a notification on every committed change for the windows that watch the
-- workspace (@channel@: the workspace's LISTEN channel, as a literal).

CREATE TABLE audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  who text NOT NULL DEFAULT session_user,
  action text NOT NULL,
  what text NOT NULL,
  detail text);

GRANT SELECT ON audit TO @owner@;

-- One row a row for the tables people edit.
CREATE FUNCTION audit_row () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
DECLARE
  key text;
BEGIN
  key := coalesce (to_jsonb (NEW) ->> TG_ARGV[0], to_jsonb (OLD) ->> TG_ARGV[0]);
  INSERT INTO audit (action, what, detail)
  VALUES (lower (TG_OP), TG_TABLE_NAME || ' ' || key,
          CASE TG_OP WHEN 'DELETE' THEN NULL ELSE to_jsonb (NEW)::text END);
  RETURN NULL;
END $$;

-- One row a statement for the bulk tables (an import of millions of outcomes): no count,
-- which a transition table would give at the price of a copy of every row; publish and
-- import say how many rows in their own entry (audit_note).
CREATE FUNCTION audit_statement () RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
BEGIN
  INSERT INTO audit (action, what) VALUES (lower (TG_OP), TG_TABLE_NAME);
  RETURN NULL;
END $$;

CREATE FUNCTION notify_change () RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify (@channel@, json_build_object ('table', TG_TABLE_NAME,
                                                   'who', session_user)::text);
  RETURN NULL;
END $$;

CREATE TRIGGER partner_audit AFTER INSERT OR UPDATE OR DELETE ON partner
  FOR EACH ROW EXECUTE FUNCTION audit_row ('id');
CREATE TRIGGER project_audit AFTER INSERT OR UPDATE OR DELETE ON project
  FOR EACH ROW EXECUTE FUNCTION audit_row ('id');
CREATE TRIGGER milestone_audit AFTER INSERT OR UPDATE OR DELETE ON milestone
  FOR EACH ROW EXECUTE FUNCTION audit_row ('id');
CREATE TRIGGER comment_audit AFTER INSERT OR UPDATE OR DELETE ON comment
  FOR EACH ROW EXECUTE FUNCTION audit_row ('id');
CREATE TRIGGER setting_audit AFTER INSERT OR UPDATE OR DELETE ON setting
  FOR EACH ROW EXECUTE FUNCTION audit_row ('key');
CREATE TRIGGER project_area_audit AFTER INSERT OR DELETE ON project_area
  FOR EACH ROW EXECUTE FUNCTION audit_row ('project_id');
CREATE TRIGGER project_partner_audit AFTER INSERT OR UPDATE OR DELETE ON project_partner
  FOR EACH ROW EXECUTE FUNCTION audit_row ('project_id');
CREATE TRIGGER member_audit AFTER INSERT OR UPDATE OR DELETE ON member
  FOR EACH ROW EXECUTE FUNCTION audit_row ('login');

CREATE TRIGGER outcome_audit AFTER INSERT OR DELETE ON outcome_value
  FOR EACH STATEMENT EXECUTE FUNCTION audit_statement ();
CREATE TRIGGER area_audit AFTER INSERT OR DELETE ON area
  FOR EACH STATEMENT EXECUTE FUNCTION audit_statement ();
CREATE TRIGGER published_rate_audit AFTER INSERT OR DELETE ON published_rate
  FOR EACH STATEMENT EXECUTE FUNCTION audit_statement ();

CREATE TRIGGER geography_notify AFTER INSERT OR UPDATE OR DELETE ON geography
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER measure_notify AFTER INSERT OR UPDATE OR DELETE ON measure
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER outcome_notify AFTER INSERT OR UPDATE OR DELETE ON outcome_value
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER partner_notify AFTER INSERT OR UPDATE OR DELETE ON partner
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER project_notify AFTER INSERT OR UPDATE OR DELETE ON project
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER project_area_notify AFTER INSERT OR UPDATE OR DELETE ON project_area
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER milestone_notify AFTER INSERT OR UPDATE OR DELETE ON milestone
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER comment_notify AFTER INSERT OR UPDATE OR DELETE ON comment
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER setting_notify AFTER INSERT OR UPDATE OR DELETE ON setting
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();
CREATE TRIGGER published_rate_notify AFTER INSERT OR UPDATE OR DELETE ON published_rate
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change ();

-- What the triggers do not see (publish, checkout, exports), written by the client; the
-- login is the session's, so no one writes in another's name.
CREATE FUNCTION audit_note (note_action text, note_what text, note_detail text) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = @schema@, pg_temp AS $$
  INSERT INTO audit (action, what, detail) VALUES (note_action, note_what, note_detail) $$;
