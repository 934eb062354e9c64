-- Thresholds admins set through PUT /v1/thresholds (docs/alert-api.md#thresholds): every version
-- kept, never edited. The newest version's record on risk.thresholds is what the scorers apply;
-- published_at_ms stays null until that record is on the bus (an outbox: a version stored but not
-- published, the bus being away, is published again until it is).
CREATE TABLE thresholds_versions (
  version           integer PRIMARY KEY CHECK (version >= 1),
  thresholds        jsonb NOT NULL,
  effective_from_ms bigint NOT NULL,
  set_by            text NOT NULL,
  set_by_role       text NOT NULL,
  set_at_ms         bigint NOT NULL,
  note              text NOT NULL,
  published_at_ms   bigint
);
CREATE INDEX thresholds_versions_unpublished ON thresholds_versions (version) WHERE published_at_ms IS NULL;

-- A change of settings is audited with the values before and after it.
ALTER TABLE audit_log ADD COLUMN old_value jsonb, ADD COLUMN new_value jsonb;
