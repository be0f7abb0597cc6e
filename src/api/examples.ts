/**
 * Examples for the OpenAPI document, taken from real responses of an embedded
 * lnpayd (regtest invoices, so nothing here is spendable).
 */

export const WALLET_EXAMPLE = {
  id: 'wal_1U9SYFQenkVOon',
  created_at: 1795638955,
  updated_at: 1795638955,
  user_label: 'My Wallet',
  balance: 0,
  balance_msat: null,
  ln_node_id: 'lnod_k2rma5ko2aapfh1rwb',
  default_lnurlpay_id: 'lnurlp_tUqlvgvfpPcR33JArB',
  statusType: {
    type: 'wallet',
    name: 'active',
    display_name: 'Active',
  },
  walletType: {
    name: 'generic_wallet',
    display_name: 'Generic Wallet',
  },
};

export const LNTX_EXAMPLE = {
  id: 'lntx_6wwJWk5iVNUgpOeo8xIu5S8q',
  created_at: 1795638956,
  ln_node_id: 'lnod_k2rma5ko2aapfh1rwb',
  dest_pubkey: '03285205f70637f471ecb4ca8f55329f47b2fa3fd3570c646790c8367c4c72fa9c',
  payment_request: 'lnbcrt50n1p4sw34vpp5nn4qc4gvkdc5dyzdqqjh8yuh7n75d2ma0hqfm0hdjs84lwzxza2qsp589rl3jfnhy9t3j0e2er6pfxsj2pjzv9cuv3lvtz9g4h4cejgkuqqdp223jhxapqd9h8vmmfvdjjqenjdakjqargv5sxgmmrwvxqyz5vqcqzzs9qyysgqpc586wm0r2xs6qkeuzea5ma28n97mlfakpaacsjv48dsnaxp3a2jxmmjszm6yn7wk2z2tz08vklfs90ljrvvx9f2y46sgdrrdzqjclcpgp9lqj',
  r_hash_decoded: '9cea0c550cb37146904d0025739397f4fd46ab7d7dc09dbeed940f5fb8461754',
  memo: 'Test invoice from the docs',
  description_hash: null,
  payment_addr: null,
  num_satoshis: 5,
  fee_msat: 0,
  expiry: 86400,
  expires_at: 1795725356,
  payment_preimage: null,
  settled: 0,
  settled_at: null,
  is_keysend: null,
  is_amp: null,
  custom_records: null,
  passThru: {
    ticketId: '556',
    wallet_id: 'wal_1U9SYFQenkVOon',
  },
};

export const WTX_EXAMPLE = {
  id: 'wtx_ow6TdaUAuTMC5W6o8yQbkbPy',
  created_at: 1795638957,
  num_satoshis: 10,
  user_label: 'funding',
  // The wallet as it was right after this deposit.
  wal: { ...WALLET_EXAMPLE, updated_at: 1795638957, balance: 10 },
  wtxType: {
    layer: 'ln',
    name: 'ln_deposit',
    display_name: 'LN Deposit',
  },
  lnTx: {
    id: 'lntx_uJpkhhqXNv0HeUlKIlt7l9mI',
    created_at: 1795638957,
    ln_node_id: 'lnod_k2rma5ko2aapfh1rwb',
    dest_pubkey: '03285205f70637f471ecb4ca8f55329f47b2fa3fd3570c646790c8367c4c72fa9c',
    payment_request: 'lnbcrt100n1p4sw34dpp5l0y56fgqjsx8c5zdsphzmnf4zhzldar4hyfayde9qdfy5nugxq4ssp5stkj6vsdkcx73lapcrej6mmxk4jf5cyrgkn2zfjm5gt83g7sdw7sdqvve6kuerfdensxqyz5vqcqzzs9qyysgqn830ln6xwsrvg68xr8jvdtd7zhv6ep8rk5sajqten2f4vxcjvt29v0kqj7ns005kmxpanfpu2jrqrsvvuggvya67sqzch65ef6jnqeqprqhzkg',
    r_hash_decoded: 'fbc94d2500940c7c504d806e2dcd3515c5f6f475b913d2372503524a4f88302b',
    memo: 'funding',
    description_hash: null,
    payment_addr: null,
    num_satoshis: 10,
    fee_msat: 0,
    expiry: 86400,
    expires_at: 1795725357,
    payment_preimage: 'f0a051c8c6ad954f40cc9a96c930bfc476d62f3ff3354965cbfdfa688cc260cd',
    settled: 1,
    settled_at: 1795638957,
    is_keysend: null,
    is_amp: null,
    custom_records: null,
  },
  passThru: {
    wallet_id: 'wal_1U9SYFQenkVOon',
  },
};
