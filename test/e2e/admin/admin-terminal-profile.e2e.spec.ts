import { Field } from '@switch/iso8583';
import { echo } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';

const KEY = 'admin-terminal-profile-e2e-bootstrap-key-0123';

/** A terminal's security profile set through the admin API, effective from the terminal's next message. */
describe('admin API: a terminal’s allowed source networks (MariaDB, real sockets)', () => {
  let sut: SwitchUnderTest;
  let stan = 100;

  const patch = (body: object) =>
    fetch(`${sut.running.httpUrl}/admin/v1/terminals/TERM0002`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify(body),
    });
  const echoCode = async () => {
    const client = await PosClient.connect('127.0.0.1', sut.port('ascii'), {
      dialect: 'ascii',
      timeoutMs: 8_000,
    });
    try {
      return (await client.send(echo({ terminalId: 'TERM0002', stan: (stan += 1) }))).get(Field.ResponseCode);
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    sut = await startTestSwitch('mysql', { ADMIN_BOOTSTRAP_KEY: KEY });
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('refuses other sources with 58 once set, admits the listed one, and refuses an allow-list that does not parse', async () => {
    expect(await echoCode()).toBe('00');

    const elsewhere = await patch({
      allowedNetworks: '10.9.9.0/24',
      reason: 'terminal moved to the branch network',
    });
    expect(elsewhere.status).toBe(200);
    expect(await elsewhere.json()).toMatchObject({ allowedNetworks: '10.9.9.0/24' });
    expect(await echoCode()).toBe('58');

    expect((await patch({ allowedNetworks: '127.0.0.1, 10.9.9.0/24', reason: 'lab access' })).status).toBe(
      200,
    );
    expect(await echoCode()).toBe('00');

    const bad = await patch({ allowedNetworks: '10.9.9.0/99', reason: 'typo' });
    expect(bad.status).toBe(422);
    expect(await echoCode()).toBe('00');

    expect((await patch({ allowedNetworks: null, reason: 'any source again' })).status).toBe(200);
    expect(await echoCode()).toBe('00');
    const audit = await sut.running.dataSource.query<Array<{ reason: string; outcome: string }>>(
      "SELECT reason, outcome FROM admin_audit WHERE action IN ('terminal.update', 'terminals.update') ORDER BY id",
    );
    expect(audit.map((a) => a.reason)).toEqual([
      'terminal moved to the branch network',
      'lab access',
      'typo',
      'any source again',
    ]);
    expect(audit[2].outcome).toMatch(/^refused \(422\): allowedNetworks/);
  });
});
