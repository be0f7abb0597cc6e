"""schemathesis hooks (SCHEMATHESIS_HOOKS): a 5xx is only acceptable where it is one of
LNPay's documented form-error 500s, never lnpayd's answer to an unhandled exception."""

import schemathesis

CRASH_MESSAGE = "An internal server error occurred."


@schemathesis.check
def no_unhandled_error(ctx, response, case):
    if response.status_code < 500:
        return None
    try:
        message = response.json().get("message")
    except Exception:
        message = None
    if response.status_code != 500 or message in (None, CRASH_MESSAGE):
        raise AssertionError(f"server error {response.status_code}: {response.text[:300]}")
    return None
