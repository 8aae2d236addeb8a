/** A fingerprint of a directory tree (names, sizes, bytes, mtimes), to prove a command changed nothing. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function treeFingerprint(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      const key = rel ? `${rel}/${name}` : name;
      if (st.isDirectory()) {
        out[`${key}/`] = `dir mtime=${st.mtimeMs}`;
        walk(path, key);
      } else {
        out[key] = `size=${st.size} mtime=${st.mtimeMs} sha256=${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
      }
    }
  };
  walk(root, '');
  return out;
}
