/**
 * Every error the API answers with, in one place. Messages are LNPay's
 * byte-for-byte where LNPay had one, because clients match on them.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Sent instead of the standard error body (idempotent replays). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  202: 'Accepted',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  name: string;
  message: string;
  code: 0;
  status: number;
}

export function errorBody(status: number, message: string): ErrorBody {
  return { name: REASONS[status] ?? 'Error', message, code: 0, status };
}

const unauthorized = (message: string) => new ApiError(401, message, { 'WWW-Authenticate': 'Basic realm="api"' });

export const Errors = {
  invalidCredentials: () => unauthorized('Your request was made with invalid credentials.'),
  secretKeyOnly: () => unauthorized('This resource can only be access with secret access key.'),
  pakNeedsWalletKey: () =>
    unauthorized(
      'Invalid Wallet Access Key. Keys prefixed with waka_, waki_, wakr, waklw are valid when using pak_',
    ),
  missingPermission: (keyPrefix: string, permission: string) =>
    unauthorized(`${keyPrefix}_ access key provided does not permission to do this: ${permission}`),
  walletNotFound: (value: string) => new ApiError(404, `Wallet not found: ${value}`),
  lntxNotFound: () => new ApiError(404, 'LnTx not found'),
  routeNotFound: () => new ApiError(404, 'Page not found.'),
  validation: (message: string) => new ApiError(400, message),
  invalidJson: (detail: string) => new ApiError(400, `Invalid JSON data in request body: ${detail}`),
  unsupportedMediaType: (type: string) =>
    new ApiError(415, `Unsupported Content-Type "${type}": send application/json or application/x-www-form-urlencoded`),
  bodyTooLarge: () => new ApiError(413, 'Request body is too large'),
  jsonTooDeep: (maxDepth: number) => new ApiError(400, `Invalid JSON data in request body: nested deeper than ${maxDepth} levels`),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiError(429, `Rate limit exceeded, retry in ${retryAfterSeconds} seconds`, { 'Retry-After': String(retryAfterSeconds) }),
  metricsToken: () => new ApiError(401, 'Metrics need Authorization: Bearer <METRICS_TOKEN>', { 'WWW-Authenticate': 'Bearer realm="metrics"' }),
  passThruInvalid: () => new ApiError(400, 'passThru data must be valid json'),
  receiveLimit: (maxSats: number) => new ApiError(400, `Receiving is limited to: ${maxSats} satoshi per invoice`),
  identifierTaken: (walletId: string) => new ApiError(400, `External Identifier "${walletId}" has already been taken.`),
  sandboxUnavailable: () => new ApiError(404, 'The sandbox exists only with the embedded Lightning backend'),
  sandboxNotOurInvoice: () =>
    new ApiError(400, 'Payment Request is not an invoice of this node: the sandbox can only pay our own invoices'),
  invoiceDecode: (detail: string) => new ApiError(400, `Unable to decode invoice: ${detail}`),
  invoiceExpired: () => new ApiError(400, 'Unable to pay LN Invoice: invoice expired'),
  invoiceAlreadyPaid: () => new ApiError(400, 'Unable to pay LN Invoice: invoice is already paid'),
  internal: () => new ApiError(500, 'An internal server error occurred.'),
  paymentRequestBlank: () => new ApiError(400, 'Payment Request cannot be blank.'),
  amountlessInvoice: () => new ApiError(400, 'Cannot process any amount invoices'),
  sendLimit: (maxSats: number) => new ApiError(400, `Sends are limited to: ${maxSats} satoshi per request`),
  invoiceTooLarge: (balanceSats: number) => new ApiError(400, `Invoice too large :) Max balance: ${balanceSats}`),
  payFailed: (reason: string) => new ApiError(400, `Unable to pay LN Invoice: ${reason}`),
  keysendFailed: (reason: string) => new ApiError(400, `Failure reason: ${reason}`),
  paymentPending: () =>
    new ApiError(
      202,
      'Payment is in flight: the node has not decided yet. Its outcome will be recorded when it does; poll the wallet transactions.',
    ),
  insufficientForTransfer: () => new ApiError(400, 'Insufficient balance in source wallet'),
  balanceLimit: () =>
    new ApiError(400, 'Wallet balance cannot exceed 9007199254740 satoshi (the largest exact amount lnpayd holds)'),
  invalidDestWallet: () => new ApiError(400, 'Invalid dest wallet id'),
  sameWalletTransfer: () => new ApiError(400, 'Source and destination wallets cannot be the same!'),
  lnPayParamsInvalid: () => new ApiError(400, 'Invalid lnPayParams json specified'),
  transferPassThruInvalid: () => new ApiError(400, 'Invalid passThru json specified'),
  idempotencyKeyInvalid: () => new ApiError(400, 'Idempotency-Key must be 1 to 255 characters'),
  idempotencyMismatch: () => new ApiError(422, 'Idempotency-Key was already used with a different request'),
  idempotencyInProgress: () => new ApiError(409, 'A request with this Idempotency-Key is still in progress'),
  unknownLnurlpay: () => new ApiError(404, 'Unknown lnurlpay id'),
  lnurlpIdentifierTaken: (identifier: string) => new ApiError(400, `Lnurlp Identifier "${identifier}" has already been taken.`),
  lnurlpLinkInactive: () => new ApiError(400, 'Wallet or lnurlpay link is not valid or active'),
  lnurlpAmountRange: (sats: number, minSats: number, maxSats: number) =>
    new ApiError(400, `${sats} sat is not within ${minSats} - ${maxSats} sat`),
  lnurlpWholeSats: () => new ApiError(400, 'Amount must be whole satoshis (a multiple of 1000 msat)'),
  /** LNPay answered these lnurlp/pay form errors with 500; clients match on the text. */
  lnurlInvalid: () => new ApiError(500, 'Invalid Address / LNURL'),
  lnAddressInvalid: () => new ApiError(500, 'Ln Address is not a valid email address.'),
  lnurlAboveMax: (maxMsat: number) => new ApiError(500, `LNURL cannot accept more than ${maxMsat} msat`),
  lnurlBelowMin: (minMsat: number) => new ApiError(500, `LNURL cannot accept less than ${minMsat} msat`),
  lnurlCommentTooLong: (length: number, allowed: number) =>
    new ApiError(500, `Comment length is too long (${length}) - endpoint supports (${allowed}) characters`),
  lnurlNoInvoice: (url: string) => new ApiError(500, `Could not retrieve pr from ${url}`),
  lnurlAmountMismatch: (requestedMsat: number, invoiceMsat: number | null) =>
    new ApiError(400, `Requested invoice (${requestedMsat}) and invoice generated (${invoiceMsat ?? 0}) do not match.`),
  lnurlHashMismatch: () => new ApiError(400, "The invoice's description hash does not match the LNURL metadata"),
  lnurlTargetMissing: () => new ApiError(400, 'Lnurlpay Encoded or Ln Address cannot be blank.'),
  lnurlLinkSpent: (url: string) => new ApiError(400, `LNURL is no longer valid: ${url}`),
  lnurlK1Unknown: () => new ApiError(400, 'Unknown k1: request the withdraw link again'),
  lnurlK1Used: () => new ApiError(400, 'This k1 has already been used'),
  lnurlK1Expired: () => new ApiError(400, 'This k1 has expired: request the withdraw link again'),
  lnurlWithdrawRange: (sats: number, maxSats: number) => new ApiError(400, `${sats} sat is not within 1 - ${maxSats} sat`),
  invalidUsername: (username: string, host: string) => new ApiError(400, `Invalid username (${username}) for domain:${host}`),
  invalidNodeId: (id: string) => new ApiError(404, `Invalid node id: ${id}`),
  missingParameters: (names: string[]) => new ApiError(400, `Missing required parameters: ${names.join(', ')}`),
  noRoute: () => new ApiError(400, 'unable to find a path to destination'),
  webhookNotFound: (id: string) => new ApiError(404, `Webhook not found: ${id}`),
  webhookDeliveryNotFound: (id: string) => new ApiError(404, `Webhook delivery not found: ${id}`),
  webhookUrlInvalid: () => new ApiError(400, 'Url must be an absolute http or https URL with a host.'),
  webhookUrlPrivate: () =>
    new ApiError(400, 'Url points to a private, loopback or link-local address, which this server refuses.'),
  webhookEventsBlank: () => new ApiError(400, 'Events cannot be blank.'),
  webhookEventUnknown: (name: string) => new ApiError(400, `Events contains an unknown event: "${name}"`),
  /** The first answer to an Idempotency-Key, sent again verbatim. */
  replay: (status: number, body: unknown) => new ApiError(status, 'replayed response', {}, body),
} as const;
