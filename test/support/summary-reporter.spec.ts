import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('summary reporter', () => {
  it('counts a skipped test as failed in the closing line and fails the run', () => {
    const config = join(__dirname, '..', 'fixtures', 'skipped-suite', 'jest.config.js');
    const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--ci', '--config', config], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    const lines = run.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toBe('1 passed, 1 failed');
    expect(run.status).not.toBe(0);
  });
});
