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
 * PostgreSQL text and jsonb cannot hold U+0000, so a NUL anywhere in a body or
 * query field (keys of nested objects included) is refused up front with a 400
 * naming the field, instead of failing in the database as a 500.
 */
export function rejectNulBytes(input: unknown): void {
  if (typeof input !== 'object' || input === null) return;
  for (const [field, value] of Object.entries(input)) {
    if (field.includes('\u0000') || containsNul(value)) {
      throw Errors.validation(`${fieldLabel(field.replaceAll('\u0000', ''))} must not contain NUL characters.`);
    }
  }
}
