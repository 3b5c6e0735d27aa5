import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs the fixture suite's files matching `pattern` through Jest with the summary reporter. */
function runFixture(pattern: string, jestArgs: string[] = []): { lastLine: string; status: number | null; summaryFile: string } {
  const config = join(__dirname, '..', 'fixtures', 'skipped-suite', 'jest.config.js');
  // Its own file: the run under test must never write the summary of the run it is part of.
  const summaryFile = join(mkdtempSync(join(tmpdir(), 'summary-')), 'line');
  const run = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), '--ci', ...jestArgs, '--config', config, pattern],
    {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', JEST_SUMMARY_FILE: summaryFile },
    },
  );
  const lines = run.stdout.trim().split('\n');
  return { lastLine: lines[lines.length - 1], status: run.status, summaryFile };
}

describe('summary reporter', () => {
  it('also writes the closing line to JEST_SUMMARY_FILE, which test-all prints last, with --forceExit', () => {
    const run = runFixture('focused\\.fixture', ['--forceExit']);
    expect(readFileSync(run.summaryFile, 'utf8')).toBe('1 passed, 1 failed\n');
  });

  it('counts a skipped test as failed in the closing line and fails the run', () => {
    const run = runFixture('skipped\\.fixture');
    expect(run.lastLine).toBe('1 passed, 1 failed');
    expect(run.status).not.toBe(0);
  });

  it('fails the run when a focused test leaves another one of its file unrun', () => {
    const run = runFixture('focused\\.fixture');
    expect(run.lastLine).toBe('1 passed, 1 failed');
    expect(run.status).not.toBe(0);
  });
});
