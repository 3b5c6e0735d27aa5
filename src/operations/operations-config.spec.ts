/** The operations settings: defaults, and a bad value refused naming the setting. */
import { loadConfig } from '../config/app-config';
import { ConfigError } from '../config/config-error';

describe('operations settings', () => {
  it('default to a 60 s ready outbox age, retention off, hourly prune, credentials required', () => {
    expect(loadConfig({}).operations).toEqual({
      readyMaxOutboxAgeMs: 60_000,
      retentionDays: 0,
      retentionIntervalMs: 3_600_000,
      retentionBatchSize: 1_000,
      requireValidCredentials: true,
    });
  });

  it('refuses bad values naming each setting', () => {
    expect(() =>
      loadConfig({
        RETENTION_DAYS: '-1',
        READY_MAX_OUTBOX_AGE_MS: 'soon',
        RETENTION_INTERVAL_MS: '10',
        REQUIRE_VALID_CREDENTIALS: 'maybe',
      }),
    ).toThrow(ConfigError);
    try {
      loadConfig({
        RETENTION_DAYS: '-1',
        READY_MAX_OUTBOX_AGE_MS: 'soon',
        RETENTION_INTERVAL_MS: '10',
        REQUIRE_VALID_CREDENTIALS: 'maybe',
      });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of [
        'RETENTION_DAYS',
        'READY_MAX_OUTBOX_AGE_MS',
        'RETENTION_INTERVAL_MS',
        'REQUIRE_VALID_CREDENTIALS',
      ])
        expect(message).toContain(name);
    }
  });
});
