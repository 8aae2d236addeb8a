/** Tables for people: borderless columns, a bold header on a terminal, numbers right-aligned. */
import { createRequire } from 'node:module';
import type CliTable3 from 'cli-table3';
import { stdoutColour } from './colour.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/** Printable ASCII only: one character is one column, and the table is a matter of padding. */
const PLAIN = /^[\x20-\x7e]*$/;

export function renderTable(columns: Column[], rows: string[][]): string {
  const head = columns.map((c) => stdoutColour.bold(c.header));
  return renderPlain(head, columns, rows) ?? renderTableWithCliTable3(columns, rows);
}

/**
 * The table cli-table3 draws for plain ASCII cells, without loading it (a tenth of a short command's time):
 * every column as wide as its widest cell, two spaces between columns. Undefined for anything else — colour,
 * wide or combining characters, line breaks, ragged rows — which cli-table3 lays out.
 */
function renderPlain(head: string[], columns: Column[], rows: string[][]): string | undefined {
  const widths = head.map((h) => h.length);
  for (const row of [head, ...rows]) {
    if (row.length !== columns.length) return undefined;
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]!;
      if (typeof cell !== 'string' || !PLAIN.test(cell)) return undefined;
      if (cell.length > widths[i]!) widths[i] = cell.length;
    }
  }
  const line = (row: string[]) =>
    row.map((cell, i) => (columns[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [head, ...rows].map(line).join('\n') + '\n';
}

let Table: typeof CliTable3 | undefined;

/** The table as cli-table3 draws it (loaded on first use). */
export function renderTableWithCliTable3(columns: Column[], rows: string[][]): string {
  Table ??= createRequire(import.meta.url)('cli-table3') as typeof CliTable3;
  const table = new Table({
    head: columns.map((c) => stdoutColour.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  for (const row of rows) table.push(row);
  return table.toString().split('\n').map((line) => line.trimEnd()).join('\n') + '\n';
}

/** "key: value" lines for one object, keys padded to one column. */
export function renderFields(fields: [string, string][]): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${stdoutColour.bold(k.padEnd(width))}  ${v}`).join('\n') + '\n';
}
