import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` (recursively) with a SHA-256 of its bytes, to show nothing in it changed. */
export function folderSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(join(dir, rel)).isDirectory()) {
        out[`${rel}/`] = 'folder';
        walk(rel);
      } else {
        out[rel] = createHash('sha256').update(readFileSync(join(dir, rel))).digest('hex');
      }
    }
  };
  walk('');
  return out;
}
