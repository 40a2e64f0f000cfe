import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Host names a browser on this machine sends for loopback; anything else is another site's page (DNS rebinding) or another machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The request's Host header names loopback (any port). */
export function hasLoopbackHost(request: IncomingMessage): boolean {
  return LOOPBACK_HOSTS.has((request.headers.host ?? '').toLowerCase().replace(/:\d+$/, ''));
}

export function refuseForeignHost(request: IncomingMessage, response: ServerResponse): void {
  const host = request.headers.host ?? '';
  request.resume();
  response.writeHead(403, { 'Content-Type': 'application/json' });
  response.end(
    JSON.stringify({
      error: { code: 'forbidden', message: `the local runtime answers only requests for 127.0.0.1 or localhost, not '${host}'` },
    }),
  );
}

/**
 * Puts the Host check in front of a server whose request handler is not ours (the SES stand-in's
 * Express app): its handlers run only for loopback hosts.
 */
export function guardLoopbackHost(server: Server): void {
  const handlers = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!hasLoopbackHost(request)) return refuseForeignHost(request, response);
    for (const handler of handlers) handler.call(server, request, response);
  });
}
