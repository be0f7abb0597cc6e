import type { FastifySchemaValidationError } from 'fastify';
import { Errors } from '../errors.ts';

/** LNPay (Yii) labels: num_satoshis → "Num Satoshis"; a few fields carry their own label. */
const LABELS: Record<string, string> = { user_label: 'Internal Label', passThru: 'passThru' };

export function fieldLabel(field: string): string {
  // Yii splits camelCase too: lnurlp_minSendable_msat → "Lnurlp Min Sendable Msat".
  const words = field.replace(/([a-z])([A-Z])/g, '$1_$2').split('_');
  return LABELS[field] ?? words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
}

/** Turns the first schema failure into LNPay's validator message naming the field. */
export function validationError(errors: FastifySchemaValidationError[], dataVar: string) {
  const e = errors[0];
  if (!e) return Errors.validation('Invalid request.');
  const params = e.params as Record<string, unknown>;
  const path = e.instancePath.replace(/^\//, '').split('/')[0] ?? '';
  const field = e.keyword === 'required' ? String(params.missingProperty) : path;
  if (!field) {
    return Errors.validation(dataVar === 'body' ? 'The request body must be a JSON object.' : `Invalid ${dataVar}.`);
  }
  const label = fieldLabel(field);
  switch (e.keyword) {
    case 'required':
      return Errors.validation(`${label} cannot be blank.`);
    case 'type':
      return Errors.validation(
        params.type === 'integer' ? `${label} must be an integer.` : `${label} must be a ${String(params.type)}.`,
      );
    case 'minimum':
      return Errors.validation(`${label} must be greater than or equal to "${String(params.limit)}".`);
    case 'maximum':
      return Errors.validation(`${label} must be less than or equal to "${String(params.limit)}".`);
    case 'minLength':
      return Errors.validation(`${label} cannot be blank.`);
    case 'maxLength':
      return Errors.validation(`${label} should contain at most ${String(params.limit)} characters.`);
    default:
      return Errors.validation(`${label} is invalid.`);
  }
}

/**
 * LNPay accepted numbers as decimal strings (form posts always send strings);
 * coerce exactly those for integer fields. Booleans and floats stay invalid.
 */
export function coerceIntegerStrings(schema: unknown, body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  const properties = (schema as { properties?: Record<string, { type?: string }> } | undefined)?.properties;
  if (!properties) return;
  const record = body as Record<string, unknown>;
  for (const [name, prop] of Object.entries(properties)) {
    const value = record[name];
    if (prop.type === 'integer' && typeof value === 'string' && /^\s*[+-]?\d{1,16}\s*$/.test(value)) {
      record[name] = Number(value);
    }
  }
}
