-- Balances travel as JavaScript numbers: a wallet may hold at most 2^53 - 1 msat
-- (about 90,071 BTC), so an entry that would take one past that is refused here.
alter table wallets add constraint wallet_balance_exact check (balance_msat <= 9007199254740991);
