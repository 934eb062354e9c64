-- The alert API's tables (docs/alert-api.md#storage). Times are epoch milliseconds (bigint):
-- event times come from the records, wall-clock times from the API, and both compare as numbers.

-- Alerts: one row per alertId. The scorer's side (level, scorer_state, last_seq) changes only by
-- applying a risk.alerts event with a higher seq; the operator's side (operator_status and the
-- ack_*/res_* columns) only by an operator's request. `status` is what operators filter on.
CREATE TABLE alerts (
  alert_id        uuid PRIMARY KEY,
  segment_id      text NOT NULL,
  level           text NOT NULL,
  level_rank      smallint NOT NULL,
  peak_level      text NOT NULL,
  peak_rank       smallint NOT NULL,
  raised_at_ms    bigint NOT NULL,
  updated_at_ms   bigint NOT NULL,
  cleared_at_ms   bigint,
  scorer_state    text NOT NULL CHECK (scorer_state IN ('active', 'cleared')),
  last_event      text NOT NULL,
  last_seq        integer NOT NULL,
  risk            double precision NOT NULL,
  relative_risk   double precision NOT NULL,
  factors         jsonb NOT NULL,
  model_version   text NOT NULL,
  operator_status text NOT NULL DEFAULT 'new' CHECK (operator_status IN ('new', 'acknowledged', 'resolved')),
  ack_actor       text,
  ack_role        text,
  ack_at_ms       bigint,
  ack_note        text,
  res_actor       text,
  res_role        text,
  res_at_ms       bigint,
  res_note        text,
  -- The segment's bounding box and middle, from the network when the alert was raised (null: unknown segment).
  min_lon         double precision,
  min_lat         double precision,
  max_lon         double precision,
  max_lat         double precision,
  mid_lon         double precision,
  mid_lat         double precision,
  status          text GENERATED ALWAYS AS (
                    CASE WHEN operator_status = 'resolved' OR scorer_state = 'cleared' THEN 'resolved'
                         WHEN operator_status = 'acknowledged' THEN 'acknowledged'
                         ELSE 'open' END) STORED
);
-- The list order (newest, most severe, id) and its usual filters.
CREATE INDEX alerts_order ON alerts (raised_at_ms DESC, level_rank DESC, alert_id);
CREATE INDEX alerts_status ON alerts (status, raised_at_ms DESC);
CREATE INDEX alerts_segment ON alerts (segment_id, raised_at_ms DESC);

-- Every risk.alerts event applied, by eventId: a replayed event is recognised and skipped.
CREATE TABLE alert_events (
  event_id      text PRIMARY KEY,
  alert_id      uuid NOT NULL,
  seq           integer NOT NULL,
  type          text NOT NULL,
  window_end_ms bigint NOT NULL,
  applied       boolean NOT NULL,
  body          jsonb NOT NULL
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, seq);

-- Who did what: operators' actions on alerts, the scorer's steps, key management.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at_ms       bigint NOT NULL,
  actor       text NOT NULL,
  role        text NOT NULL,
  action      text NOT NULL,
  target_type text NOT NULL,
  target_id   text NOT NULL,
  note        text
);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);

-- Each segment's newest score (upserted only by a later window).
CREATE TABLE latest_scores (
  segment_id    text PRIMARY KEY,
  window_end_ms bigint NOT NULL,
  risk          double precision NOT NULL,
  relative_risk double precision NOT NULL,
  level         text NOT NULL,
  factors       jsonb NOT NULL,
  model_version text NOT NULL
);

-- Bounded histories (pruned to the configured retention, counted back from the newest window).
CREATE TABLE score_history (
  segment_id    text NOT NULL,
  window_end_ms bigint NOT NULL,
  risk          double precision NOT NULL,
  relative_risk double precision NOT NULL,
  level         text NOT NULL,
  factors       jsonb NOT NULL,
  model_version text NOT NULL,
  PRIMARY KEY (segment_id, window_end_ms)
);
CREATE INDEX score_history_window ON score_history (window_end_ms);

CREATE TABLE stats_history (
  segment_id    text NOT NULL,
  window_end_ms bigint NOT NULL,
  body          jsonb NOT NULL,
  PRIMARY KEY (segment_id, window_end_ms)
);
CREATE INDEX stats_history_window ON stats_history (window_end_ms);

-- Each weather station's newest observation.
CREATE TABLE weather_latest (
  station_id text PRIMARY KEY,
  ts         bigint NOT NULL,
  lat        double precision NOT NULL,
  lon        double precision NOT NULL,
  body       jsonb NOT NULL
);

-- API keys: only the SHA-256 of a key is kept.
CREATE TABLE api_keys (
  key_id        text PRIMARY KEY,
  key_hash      text NOT NULL UNIQUE,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_at_ms bigint NOT NULL,
  created_by    text NOT NULL,
  revoked_at_ms bigint
);
