/** One sample of Prometheus text: the value of `name` whose labels include all of `labels` (summed when several match). */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  let found = false;
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const have = new Map([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) {
      total += Number(match[3]);
      found = true;
    }
  }
  return found ? total : 0;
}

/** The values of one label across all samples of a metric. */
export function labelValues(text: string, name: string, label: string): string[] {
  const values = new Set<string>();
  for (const m of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\}`, 'gm'))) {
    const value = m[1]?.match(new RegExp(`${label}="([^"]*)"`))?.[1];
    if (value !== undefined) values.add(value);
  }
  return [...values];
}
