/**
 * --stream-decoder 'CMD ARGS': etcd-dump-logs' -stream-decoder protocol, so decoders written for etcd work.
 * The program is started once per dump (without a shell; the command line is split into words, quotes
 * respected). For every payload logdb writes its hex and a newline to the program's stdin and reads one line
 * back, in order. etcd splits that line at '|' into a status and the decoded data ("OK|…"); here it becomes
 * `"user": {"status": "OK", "data": "…"}` (a line without '|' has status null), and a status that starts with
 * ERROR makes the line that entry's userError. Payloads are written ahead of the answers (the printer bounds
 * how many are in flight), so a line-buffered program is not paid a round trip per entry.
 *
 * A program that exits, or closes its stdout, before answering every payload ends the dump with a clear error
 * (exit 1) instead of hanging; one that stays silent gets a warning on stderr after a while.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Entry } from '../codec/colfer.js';
import { warn } from '../cli/report-error.js';
import { LogdbError, usageError } from '../errors.js';
import type { DecodeResult, UserDecoder } from './user-decoder.js';

const SILENCE_WARNING_MS = 10_000;

/** Splits a command line into words: whitespace separates, '…' and "…" quote, backslash escapes. */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw usageError(`--stream-decoder: unbalanced ${quote} in "${text}"`);
  if (inWord) words.push(word);
  return words;
}

/** One answer line as etcd-dump-logs reads it: STATUS|DATA. */
export function parseAnswer(line: string): DecodeResult {
  const bar = line.indexOf('|');
  const status = bar < 0 ? null : line.slice(0, bar);
  const data = bar < 0 ? line : line.slice(bar + 1);
  if (status !== null && /^\s*ERROR/i.test(status)) return { error: line };
  return { json: JSON.stringify({ status, data }) };
}

interface Pending {
  resolve(r: DecodeResult): void;
  reject(err: Error): void;
}

export async function startStreamDecoder(commandLine: string): Promise<UserDecoder> {
  const argv = splitCommandLine(commandLine);
  if (argv.length === 0) throw usageError('--stream-decoder: empty command');
  // its stderr is the operator's to read
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err: NodeJS.ErrnoException) => reject(usageError(`--stream-decoder: cannot start ${argv[0]}: ${err.code ?? err.message}`)));
  });

  const pending: Pending[] = [];
  let answered = 0;
  let extraLines = 0;
  let dead: Error | undefined;
  let exitStatus: string | undefined;
  let lastAnswerAt = Date.now();
  let warned = false;
  let closing: Promise<void> | undefined;

  const fail = (why: string) => {
    if (dead) return;
    dead = new LogdbError('failure', `the stream decoder ${argv[0]} ${why} after answering ${answered} payload(s)`, 'it must read hex lines from stdin until EOF and print one line per input line');
    for (const p of pending.splice(0)) p.reject(dead);
  };

  child.stdin.on('error', () => undefined); // EPIPE when it died: reported through `exit`
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitStatus = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      resolve();
    });
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  lines.on('line', (line) => {
    lastAnswerAt = Date.now();
    const p = pending.shift();
    if (!p) {
      extraLines++;
      return;
    }
    answered++;
    p.resolve(parseAnswer(line));
  });
  // Once the program has exited or closed its stdout, nothing more will be answered: what is pending (after a
  // moment for lines still in the pipe) and whatever comes later fails the dump.
  let gone: string | undefined;
  const goneWith = (why: string) => {
    gone ??= why;
    setTimeout(() => {
      if (pending.length > 0) fail(exitStatus ?? gone!);
    }, 200);
  };
  lines.once('close', () => goneWith('closed its output'));
  void exited.then(() => goneWith(exitStatus!));

  const watchdog = setInterval(() => {
    if (!warned && pending.length > 0 && Date.now() - lastAnswerAt > SILENCE_WARNING_MS) {
      warned = true;
      warn(`the stream decoder ${argv[0]} has not answered for ${SILENCE_WARNING_MS / 1000} s (does it flush its stdout after every line?)`);
    }
  }, 1000);
  watchdog.unref();

  return {
    decode(payload: Buffer, _e: Entry): Promise<DecodeResult> {
      if (!dead && gone && pending.length === 0) fail(exitStatus ?? gone);
      if (dead) return Promise.reject(dead);
      if (pending.length === 0) lastAnswerAt = Date.now();
      return new Promise<DecodeResult>((resolve, reject) => {
        pending.push({ resolve, reject });
        child.stdin.write(payload.toString('hex') + '\n');
      });
    },
    endInput() {
      child.stdin.end();
    },
    close() {
      closing ??= closeOnce();
      return closing;
    },
  };

  /** Ends its input and waits for it to exit (a program that ignores EOF is terminated after 5 s). */
  async function closeOnce(): Promise<void> {
    clearInterval(watchdog);
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
    await exited;
    clearTimeout(timer);
    if (extraLines > 0) warn(`the stream decoder ${argv[0]} printed ${extraLines} line(s) more than it was given`);
    else if (!dead && exitStatus && exitStatus !== 'exited with status 0') warn(`the stream decoder ${argv[0]} ${exitStatus}`);
  }
}
