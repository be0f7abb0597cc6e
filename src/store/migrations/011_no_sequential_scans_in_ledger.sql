-- The ledger's statements inside functions look up a few rows by key. PL/pgSQL
-- caches their plans per connection, and a plan made while a table was small
-- (a fresh database, its first minute) may be a sequential scan, kept until
-- autovacuum next analyzes the table: measured, the zero-sum check at commit
-- went from 6 µs to 400 µs a posting as postings grew, with every wallet of
-- the batch still locked. Planned without sequential scans, they use the
-- primary keys and indexes at any size.
alter function postings_entry_balanced() set enable_seqscan = off;
alter function ledger_post(text, bigint, text[], int8[]) set enable_seqscan = off;
alter function ledger_post_many(text, bigint, int[], text[], int8[]) set enable_seqscan = off;
alter function settle_internal_many(bigint, text[], text[], text[], text[], int8[]) set enable_seqscan = off;
