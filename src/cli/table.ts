/** Tables for people: borderless columns, a bold header on a terminal, numbers right-aligned. */
import Table from 'cli-table3';
import { stdoutColour } from './colour.js';

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export function renderTable(columns: Column[], rows: string[][]): string {
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
