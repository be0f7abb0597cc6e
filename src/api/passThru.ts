import { ApiError, Errors } from '../errors.ts';

/**
 * passThru arrives as an object, or as a string holding JSON (the seed's curl
 * sends one padded with spaces). Non-object JSON counts as {}, as LNPay did.
 */
export function parsePassThru(value: unknown, invalid: () => ApiError = Errors.passThruInvalid): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw invalid();
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
  return parsed as Record<string, unknown>;
}
