/** Looking at directories without failing: a missing or unreadable path is simply empty, or not a directory. */
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** The names in `dir`, or none when it cannot be listed. */
export function listOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The first `limit` characters of a text file, or '' when it cannot be read. */
export function readTextOrEmpty(file: string, limit = 4096): string {
  try {
    return readFileSync(file, 'utf8').slice(0, limit);
  } catch {
    return '';
  }
}
