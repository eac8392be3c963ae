-- A person's own time zone (issue 12): an IANA name such as "Europe/Paris", chosen on the
-- account page or detected from the browser once. NULL until then: pages use UTC and say so.
-- Only names in Mend's zone database are stored (mend_core::local_time::Zone::parse).
ALTER TABLE people ADD COLUMN time_zone TEXT;
