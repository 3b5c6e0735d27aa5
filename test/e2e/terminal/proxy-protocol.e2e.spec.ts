/**
 * Terminals behind a real HAProxy (TCP mode, `send-proxy-v2` on one port and `send-proxy` on another) that
 * the switch trusts (ISO_PROXY_PROTOCOL_FROM=127.0.0.1): the switch sees each terminal's own address, so a
 * terminal's allowed networks tell terminals apart behind the balancer. Terminals are told apart on
 * loopback by the address they connect from (127.0.0.2, 127.0.0.3); HAProxy connects from 127.0.0.1.
 * A connection from the trusted address without a header is dropped; other sources are served as before.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Field } from '@switch/iso8583';
import { echo } from '../../../tools/pos/messages';
import { PosClient } from '../../../tools/pos/pos-client';
import { eventually } from '../../support/pos-helpers';
import { freePort } from '../../support/free-port';
import { startTestSwitch, type SwitchUnderTest } from '../../support/switch-harness';

const KEY = 'proxy-protocol-e2e-bootstrap-key-0123456789';
const TERMINAL = 'TERM0003';


/** HAProxy in the foreground: port v2 sends PROXY v2 headers, port v1 the text ones, both to the switch. */
async function startHaproxy(switchPort: number): Promise<{ v1: number; v2: number; process: ChildProcess }> {
  const [v1, v2] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'haproxy-'));
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 100',
      'defaults',
      '  mode tcp',
      '  timeout connect 3s',
      '  timeout client 60s',
      '  timeout server 60s',
      `frontend fe_v2`,
      `  bind 127.0.0.1:${v2}`,
      '  default_backend be_v2',
      `frontend fe_v1`,
      `  bind 127.0.0.1:${v1}`,
      '  default_backend be_v1',
      'backend be_v2',
      `  server switch 127.0.0.1:${switchPort} send-proxy-v2 source 127.0.0.1`,
      'backend be_v1',
      `  server switch 127.0.0.1:${switchPort} send-proxy source 127.0.0.1`,
      '',
    ].join('\n'),
  );
  const process = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  process.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await eventually(
    async () => {
      if (process.exitCode !== null) throw new Error(`haproxy exited ${process.exitCode}: ${stderr}`);
      const up = await new Promise<boolean>((resolve) => {
        const probe = net.connect(v2, '127.0.0.1', () => {
          probe.destroy();
          resolve(true);
        });
        probe.on('error', () => resolve(false));
      });
      return up ? true : undefined;
    },
    10_000,
    100,
  );
  return { v1, v2, process };
}

describe('terminals behind HAProxy with the PROXY protocol', () => {
  let sut: SwitchUnderTest;
  let haproxy: { v1: number; v2: number; process: ChildProcess };
  let stan = 300;

  const echoThrough = async (port: number, localAddress: string): Promise<string | undefined> => {
    const client = await PosClient.connect('127.0.0.1', port, { dialect: 'ascii', timeoutMs: 8_000, localAddress });
    try {
      return (await client.send(echo({ terminalId: TERMINAL, stan: (stan += 1) }))).get(Field.ResponseCode);
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    sut = await startTestSwitch('sqlite', { ADMIN_BOOTSTRAP_KEY: KEY, ISO_PROXY_PROTOCOL_FROM: '127.0.0.1/32' });
    haproxy = await startHaproxy(sut.port('ascii'));
    const patched = await fetch(`${sut.running.httpUrl}/admin/v1/terminals/${TERMINAL}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ allowedNetworks: '127.0.0.2', reason: 'the lane behind the balancer' }),
    });
    expect(patched.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    haproxy?.process.kill('SIGTERM');
    await sut?.stop();
  });

  it("admits the allowed terminal through either header version and refuses another behind the same balancer (58)", async () => {
    expect(await echoThrough(haproxy.v2, '127.0.0.2')).toBe('00');
    expect(await echoThrough(haproxy.v1, '127.0.0.2')).toBe('00');
    // Without the header the switch would see 127.0.0.1 for both and could not tell them apart.
    expect(await echoThrough(haproxy.v2, '127.0.0.3')).toBe('58');
    expect(await echoThrough(haproxy.v1, '127.0.0.3')).toBe('58');
  });

  it("lists a proxied terminal's session under its own address", async () => {
    const client = await PosClient.connect('127.0.0.1', haproxy.v2, { dialect: 'ascii', timeoutMs: 8_000, localAddress: '127.0.0.2' });
    try {
      expect((await client.send(echo({ terminalId: TERMINAL, stan: (stan += 1) }))).get(Field.ResponseCode)).toBe('00');
      const sessions = await fetch(`${sut.running.httpUrl}/admin/v1/sessions?limit=200`, { headers: { authorization: `Bearer ${KEY}` } });
      const items = ((await sessions.json()) as { items: Array<{ terminalId?: string; remoteAddress: string }> }).items;
      expect(items.filter((s) => s.terminalId === TERMINAL).map((s) => s.remoteAddress.split(':')[0])).toEqual(['127.0.0.2']);
    } finally {
      await client.close();
    }
  });

  it('serves a direct terminal from an untrusted address as before, and drops a trusted-address connection without a header', async () => {
    expect(await echoThrough(sut.port('ascii'), '127.0.0.2')).toBe('00');
    expect(await echoThrough(sut.port('ascii'), '127.0.0.3')).toBe('58');

    const direct = await PosClient.connect('127.0.0.1', sut.port('ascii'), { dialect: 'ascii', timeoutMs: 3_000, localAddress: '127.0.0.1' });
    try {
      const answer = await direct.send(echo({ terminalId: TERMINAL, stan: (stan += 1) })).catch((e: Error) => e);
      expect(answer).toBeInstanceOf(Error);
    } finally {
      await direct.close();
    }
  });
});
