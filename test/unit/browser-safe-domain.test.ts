import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DOMAIN_INDEX = path.resolve(__dirname, '../../src-main/core/domain/index.ts');
/** The only package the browser-safe domain may use: zod runs in a browser. */
const ALLOWED_PACKAGES = new Set(['zod']);

/** Every module `entry` reaches through static imports and re-exports, with the packages it names. */
function reach(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]/g)) {
      const specifier = match[1] as string;
      if (!specifier.startsWith('.')) {
        packages.add(specifier);
        continue;
      }
      const base = path.resolve(path.dirname(file), specifier);
      pending.push(existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, 'index.ts'));
    }
  }
  return { files, packages };
}

describe('the browser-safe domain (what the console imports)', () => {
  it('reaches no Node module and no package but zod', () => {
    const { files, packages } = reach(DOMAIN_INDEX);
    expect(files.length).toBeGreaterThan(10);
    expect([...packages].filter((p) => !ALLOWED_PACKAGES.has(p))).toEqual([]);
  });

  it('would see a Node import in the Node-only part, which it must not reach', () => {
    const { packages } = reach(path.resolve(__dirname, '../../src-main/core/domain/credentials/index.ts'));
    expect(packages).toContain('node:crypto');
  });
});
