-- The policy input each decision was made from, as JSON, so that a candidate policy can be
-- replayed against the inputs of recent decisions (shadow evaluation). Null for decisions stored
-- before this column existed. Inputs carry environment variable names, never their values.

ALTER TABLE policy_decisions ADD COLUMN input TEXT;
