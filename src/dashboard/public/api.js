// The secret key lives in sessionStorage only: gone when the tab closes, never a cookie,
// and sent nowhere but in the X-Api-Key header of this server's API calls.
const KEY_NAME = 'lnpayd.secretKey';

export const session = {
  get key() {
    return sessionStorage.getItem(KEY_NAME);
  },
  signIn(key) {
    sessionStorage.setItem(KEY_NAME, key);
  },
  signOut() {
    sessionStorage.removeItem(KEY_NAME);
  },
};

/** An API answer other than 2xx, carrying the API's own `message`. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** One call to lnpayd's /v1 API; resolves to the JSON body and the X-Pagination headers. */
export async function api(method, path, body, key = session.key) {
  const headers = { 'X-Api-Key': key ?? '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    // No credentials mode: no cookies, and a 401's WWW-Authenticate cannot pop up the browser's login dialog.
    res = await fetch(path, { method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'lnpayd cannot be reached. Is it still running?');
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the status line below says what happened.
  }
  if (!res.ok) throw new ApiError(res.status, data?.message ?? `HTTP ${res.status} ${res.statusText}`);
  return { data, page: pageOf(res.headers) };
}

function pageOf(headers) {
  const number = (name) => Number(headers.get(`X-Pagination-${name}`) ?? 0);
  return { current: number('Current-Page'), count: number('Page-Count'), total: number('Total-Count') };
}
