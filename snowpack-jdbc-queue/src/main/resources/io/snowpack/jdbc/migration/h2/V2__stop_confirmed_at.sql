-- A job cancelled while running keeps its table locked until its worker confirms it stopped (a commit of the
-- revoked attempt might still land): when that happened.
ALTER TABLE ${schema}.jobs ADD COLUMN stop_confirmed_at TIMESTAMP WITH TIME ZONE;
