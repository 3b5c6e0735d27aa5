import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Field } from '@switch/iso8583';
import { startSwitch } from '../../../src/bootstrap';
import { loadConfig } from '../../../src/config/app-config';
import { createLogger } from '../../../src/logging/logger';
import { TerminalEntity } from '../../../src/persistence/entities';
import { sealedIn, secretBoxFor } from '../../../src/persistence/secret-box';
import { echo, purchase } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { createMysqlTestDatabase } from '../../support/databases';
import { demoTerminal, nextStan, paymentCode } from '../../support/pos-helpers';
import { testEnvironment } from '../../support/switch-harness';

const DEMO_DATA_KEY = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const MAC_KEY = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');

/** Through the real switch on MariaDB: the data key is rotated between two starts on the same database. */
describe('data-encryption key rotation', () => {
  it('opens what the old key sealed after rotation, seals with the new key, and refuses a sealed value moved to another row', async () => {
    const db = await createMysqlTestDatabase();
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const base = testEnvironment({ DATABASE_URL: db.config.url! });
    try {
      // Start 1: the demo key (id k1) seals the demo merchants' credentials and a terminal's MAC key.
      const first = await startSwitch(loadConfig(base), createLogger('silent', sink));
      await first.close();

      const rotated = loadConfig({ ...base, DATA_ENCRYPTION_KEY: randomBytes(32).toString('hex'), DATA_ENCRYPTION_KEY_ID: 'k2', DATA_ENCRYPTION_OLD_KEYS: `k1:${DEMO_DATA_KEY}` });
      const box = secretBoxFor(rotated.secrets);
      const second = await startSwitch(rotated, createLogger('silent', sink));
      try {
        const terminals = second.dataSource.getRepository(TerminalEntity);
        const sealed = box.seal(MAC_KEY, sealedIn.terminalMacKey('TERM0002'));
        expect(sealed.startsWith('v2:k2:')).toBe(true);
        await terminals.update({ terminalId: 'TERM0002' }, { macKeySealed: sealed });
        await terminals.update({ terminalId: 'TERM0003' }, { macKeySealed: sealed });
        const port = second.isoListeners().find((l) => l.dialect === 'ascii')!.port;

        // Merchant credentials sealed under k1 still open: a purchase goes through to the sandbox.
        const plain = await PosClient.connect('127.0.0.1', port, { dialect: 'ascii', timeoutMs: 10_000 });
        const paid = await plain.send(purchase({ ...demoTerminal('ams', 'ascii'), stan: nextStan(), amountMinor: 700, paymentCode: paymentCode('000') }));
        expect(paid.get(Field.ResponseCode)).toBe('00');
        await plain.close();

        const macClient = await PosClient.connect('127.0.0.1', port, { dialect: 'ascii', timeoutMs: 10_000, macKey: MAC_KEY });
        const own = await macClient.exchange(echo({ terminalId: 'TERM0002', stan: nextStan() }));
        expect([own.reply.get(Field.ResponseCode), own.macValid]).toEqual(['00', true]);
        // The same sealed value copied into TERM0003's row does not open there: the terminal gets no service.
        const copied = await macClient.send(echo({ terminalId: 'TERM0003', stan: nextStan() }));
        expect(copied.get(Field.ResponseCode)).toBe('96');
        await macClient.close();
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});
