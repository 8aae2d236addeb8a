/**
 * Another process holding a file's fcntl lock, as a running NodeHost (or LevelDB) holds its LOCK. The child
 * takes the lock with os-lock, says "locked", and keeps it until killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './fixtures.js';

const SCRIPT = `
const fs = require('fs');
const { lock } = require('os-lock');
const fd = fs.openSync(process.argv[1], 'r+');
lock(fd, { exclusive: true, immediate: true }).then(() => { process.stdout.write('locked\\n'); setInterval(() => {}, 1000); }, (e) => { console.error(e); process.exit(1); });
`;

export function holdLock(file: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SCRIPT, file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited ${code}`)));
  });
}
