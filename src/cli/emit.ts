/** Printing a list of records in the chosen format: a table, one JSON array, or one JSON object per line. */
import type { OutputFormat } from './command.js';
import { stringifyJson, type Json } from './json.js';
import { out } from './stdout.js';
import { renderTable, type Column } from './table.js';

export function emitRecords(format: OutputFormat, records: Json[], columns: Column[], row: (i: number) => string[], empty: string): void {
  if (format === 'json') {
    out(stringifyJson(records, true) + '\n');
  } else if (format === 'ndjson') {
    for (const r of records) out(JSON.stringify(r) + '\n');
  } else if (records.length === 0) {
    process.stderr.write(`${empty}\n`);
  } else {
    out(renderTable(columns, records.map((_, i) => row(i))));
  }
}
