-- The node that sent a payment: only that node can say what became of it, so
-- recovery in a process asks about its own node's payments alone (processes
-- with the embedded node each have one of their own). Null on payments made
-- before this column existed: any process may resolve those, as before.
alter table payments add column node_pubkey text;
