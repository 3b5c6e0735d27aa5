import { capture } from './capture.testing';
import { createLogger } from './logger';
import { maskPaymentCode } from './mask';


describe('logger', () => {
  it('masks payment codes in messages and redacts secrets in objects', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    logger.info({ merchant: { macKey: 'deadbeef', agentToken: 'tok-123', id: 'M1' } }, 'paid with 281234567890123456');
    const line = lines.join('');
    expect(line).not.toContain('281234567890123456');
    expect(line).toContain(maskPaymentCode('281234567890123456'));
    expect(line).not.toContain('deadbeef');
    expect(line).not.toContain('tok-123');
    expect(JSON.parse(line)).toMatchObject({ level: 'info', merchant: { id: 'M1', macKey: '[redacted]' } });
  });

  it('keeps two leading and four trailing digits', () => {
    expect(maskPaymentCode('281234567890123456')).toBe('28************3456');
  });
});
