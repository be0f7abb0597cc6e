import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Reply } from './harness.ts';

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

/**
 * Checks real replies against /openapi.json: the status must be documented for
 * the operation and the body must validate against that status's schema.
 * Remembers which operations were exercised so a test can demand all of them.
 */
export class ConformanceChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  readonly exercised = new Set<string>();

  constructor(doc: { paths: Record<string, Record<string, { responses?: Operation['responses'] }>> }) {
    addFormats.default(this.ajv);
    for (const [template, item] of Object.entries(doc.paths)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
      for (const [method, op] of Object.entries(item)) {
        this.operations.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), responses: op.responses ?? {} });
      }
    }
    // Literal segments win over parameters (/v1/lnurlp/probe/x is not /v1/lnurlp/{lnurlp_id}).
    this.operations.sort((a, b) => paramCount(a.template) - paramCount(b.template));
  }

  get documented(): string[] {
    return this.operations.map((op) => `${op.method} ${op.template}`);
  }

  /** Problems with one reply; empty when it conforms. */
  check(method: string, url: string, reply: Reply): string[] {
    const path = new URL(url, 'http://x').pathname;
    const op = this.operations.find((o) => o.method === method && o.pattern.test(path));
    if (!op) return [`${method} ${path}: no documented operation`];
    const name = `${op.method} ${op.template}`;
    this.exercised.add(name);
    const response = op.responses[String(reply.status)] ?? op.responses.default;
    if (!response) return [`${name}: status ${reply.status} is not documented (${reply.text.slice(0, 200)})`];
    if (!response.content) {
      return reply.text === '' ? [] : [`${name} ${reply.status}: documented without a body, got ${reply.text.slice(0, 200)}`];
    }
    const media = response.content['application/json'];
    if (!media) return [`${name} ${reply.status}: no application/json content documented`];
    const type = reply.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json')) return [`${name} ${reply.status}: content-type ${type}`];
    const key = `${name} ${reply.status}`;
    const validate = this.validators.get(key) ?? this.ajv.compile(media.schema ?? {});
    this.validators.set(key, validate);
    if (validate(reply.body)) return [];
    return [`${key}: ${this.ajv.errorsText(validate.errors)} in ${reply.text.slice(0, 300)}`];
  }
}

/** Every `examples` entry in the document, checked against the schema it sits in. */
export function exampleProblems(doc: unknown): { checked: number; problems: string[] } {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const problems: string[] = [];
  let checked = 0;
  const walk = (node: unknown, where: string): void => {
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Record<string, unknown>;
    if (Array.isArray(schema.examples) && ('type' in schema || 'anyOf' in schema)) {
      const validate = ajv.compile(schema);
      for (const example of schema.examples) {
        checked++;
        if (!validate(example)) problems.push(`${where}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    for (const [key, child] of Object.entries(schema)) if (key !== 'examples') walk(child, `${where}/${key}`);
  };
  walk(doc, '#');
  return { checked, problems };
}

function paramCount(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}
