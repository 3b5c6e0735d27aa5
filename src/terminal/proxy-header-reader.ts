/**
 * Reads the PROXY protocol header off a connection from a trusted load balancer before the terminal's
 * frames: resolves with the terminal's address (or the balancer's own, for a LOCAL header) and the bytes
 * read past the header, which belong to the first frame. Rejects on a bad or missing header, a header not
 * complete within `timeoutMs`, or a connection closed first; the caller then drops the connection.
 */
import type { Socket } from 'node:net';
import { parseProxyHeader, type PeerAddress } from './proxy-header';

export interface ProxiedPeer {
  readonly source: PeerAddress | undefined;
  readonly rest: Buffer;
}

export function readProxyHeader(socket: Socket, timeoutMs: number): Promise<ProxiedPeer> {
  return new Promise((resolve, reject) => {
    let seen: Buffer = Buffer.alloc(0);
    const finish = (error: Error | undefined, peer?: ProxiedPeer): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (error) reject(error);
      else {
        socket.pause(); // the connection takes over reading where the header ended
        resolve(peer!);
      }
    };
    const onData = (chunk: Buffer): void => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const parsed = parseProxyHeader(seen);
      if (parsed.kind === 'incomplete') return;
      if (parsed.kind === 'invalid') return finish(new Error(`PROXY protocol: ${parsed.reason}`));
      finish(undefined, { source: parsed.source, rest: seen.subarray(parsed.length) });
    };
    const onClose = (): void => finish(new Error('PROXY protocol: closed before the header'));
    const onError = (err: Error): void => finish(err);
    const timer = setTimeout(() => finish(new Error(`PROXY protocol: no header within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.once('error', onError);
  });
}
