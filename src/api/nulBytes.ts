import { Errors } from '../errors.ts';
import { fieldLabel } from './validation.ts';

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, v]) => key.includes('\u0000') || containsNul(v));
  }
  return false;
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a field the
 * route's schema declares (keys of nested objects included) is refused up front
 * with a 400 naming the field, instead of failing in the database as a 500.
 * Undeclared fields are never read, so they are left alone.
 */
export function rejectNulBytes(schema: unknown, input: unknown): void {
  const declared = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  if (!declared || typeof input !== 'object' || input === null) return;
  for (const field of Object.keys(declared)) {
    if (containsNul((input as Record<string, unknown>)[field])) {
      throw Errors.validation(`${fieldLabel(field)} must not contain NUL characters.`);
    }
  }
}
