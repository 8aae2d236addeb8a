/**
 * Plain-ASCII tables are drawn without cli-table3, exactly as cli-table3 draws them: random tables compared with
 * cli-table3's own rendering, and everything the padding cannot lay out (colour, wide characters, line breaks,
 * ragged rows) still drawn by cli-table3.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { configureColour } from '../../src/cli/colour.js';
import { renderTable, renderTableWithCliTable3, type Column } from '../../src/cli/table.js';
import { repoRoot } from '../helpers/fixtures.js';
import { prng } from '../codec/support.js';

const LS_NODES_COLUMNS: Column[] = [
  { header: 'CLUSTER', align: 'right' },
  { header: 'NODE', align: 'right' },
  { header: 'BOOTSTRAP' },
];

describe('renderTable', () => {
  it('draws random plain-ASCII tables exactly as cli-table3 does', () => {
    const rand = prng(11);
    const text = (max: number) => {
      const n = Math.floor(rand() * max);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(0x20 + Math.floor(rand() * 95));
      return s;
    };
    for (let t = 0; t < 500; t++) {
      const columns: Column[] = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => ({
        header: text(12) || 'H',
        ...(rand() < 0.5 ? { align: rand() < 0.5 ? ('right' as const) : ('left' as const) } : {}),
      }));
      const rows = Array.from({ length: Math.floor(rand() * 6) }, () => columns.map(() => (rand() < 0.2 ? '' : text(25))));
      assert.equal(renderTable(columns, rows), renderTableWithCliTable3(columns, rows), JSON.stringify({ columns, rows }));
    }
  });

  it('the ls-nodes table, uint64 limits included', () => {
    const rows = [
      ['18446744073709551615', '1', '3 members, regular'],
      ['2', '18446744073709551614', 'join, on-disk'],
    ];
    const table = renderTable(LS_NODES_COLUMNS, rows);
    assert.equal(
      table,
      '             CLUSTER                  NODE  BOOTSTRAP\n' +
        '18446744073709551615                     1  3 members, regular\n' +
        '                   2  18446744073709551614  join, on-disk\n',
    );
    assert.equal(table, renderTableWithCliTable3(LS_NODES_COLUMNS, rows));
  });

  it('leaves wide characters, colour codes, line breaks and ragged rows to cli-table3', () => {
    for (const rows of [
      [['1', '2', 'ホスト名']],
      [['1', '\u001b[31m2\u001b[39m', 'x']],
      [['1', '2', 'two\nlines']],
      [['1', '2']],
      [['1', 'é', 'e\u0301']],
    ]) {
      assert.equal(renderTable(LS_NODES_COLUMNS, rows), renderTableWithCliTable3(LS_NODES_COLUMNS, rows), JSON.stringify(rows));
    }
  });

  it('a bold header on a terminal is still cli-table3\'s table', async () => {
    const saved = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = '1';
    try {
      await configureColour(false);
      const rows = [['1', '2', 'x']];
      const table = renderTable(LS_NODES_COLUMNS, rows);
      assert.match(table, /\u001b\[1mCLUSTER\u001b\[22m/);
      assert.equal(table, renderTableWithCliTable3(LS_NODES_COLUMNS, rows));
    } finally {
      if (saved === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = saved;
      await configureColour(false);
    }
  });

  it('a plain table does not load cli-table3', () => {
    const table = pathToFileURL(join(repoRoot, 'dist', 'src', 'cli', 'table.js')).href;
    const script = `
      import { createRequire } from 'node:module';
      import { renderTable } from ${JSON.stringify(table)};
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('cli-table3'));
      renderTable([{ header: 'A', align: 'right' }, { header: 'B' }], [['1', 'x']]);
      const plain = loaded();
      renderTable([{ header: 'A', align: 'right' }, { header: 'B' }], [['1', 'ホ']]);
      console.log(JSON.stringify({ plain, wide: loaded() }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { plain: false, wide: true });
  });
});
