/** Running the built CLI as a user would: a child process, with stdout, stderr and the exit code. */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';

export const cliPath = join(repoRoot, 'bin', 'logdb.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** How every CLI child is started meanwhile, when set: see withCliChildren. */
let childSetup: { uid?: number; gid?: number; env?: Record<string, string> } = {};

/**
 * Runs `fn` with every CLI child started as another user (`uid`, `gid`: to take root's power to write anywhere away)
 * and with more environment variables.
 */
export async function withCliChildren<T>(setup: { uid?: number; gid?: number; env?: Record<string, string> }, fn: () => Promise<T>): Promise<T> {
  childSetup = setup;
  try {
    return await fn();
  } finally {
    childSetup = {};
  }
}

export function runCli(args: string[], options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [cliPath, ...args],
      {
        env: { ...process.env, NO_COLOR: '1', ...childSetup.env, ...options.env },
        maxBuffer: 512 * 1024 * 1024,
        timeout: options.timeoutMs ?? 120_000,
        uid: childSetup.uid,
        gid: childSetup.gid,
      },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code !== 'number' && !(err as any).killed && (err as any).code !== undefined && typeof (err as any).code === 'string') {
          reject(err);
          return;
        }
        resolve({ code: child.exitCode ?? (err as any)?.code ?? 0, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Runs the CLI and parses stdout as JSON; fails with the stderr text when the command failed. */
export async function cliJson<T = any>(args: string[]): Promise<T> {
  const r = await runCli([...args, '--output', 'json']);
  if (r.code !== 0) throw new Error(`logdb ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export async function cliNdjson<T = any>(args: string[]): Promise<T[]> {
  const r = await runCli([...args, '--output', 'ndjson']);
  if (r.code !== 0) throw new Error(`logdb ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** Runs async jobs with at most `width` at a time. */
export async function inPool<T>(items: T[], width: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) await job(items[next++]);
  });
  await Promise.all(workers);
}

export { spawn };
