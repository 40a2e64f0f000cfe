import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasLoopbackHost, refuseForeignHost } from '../loopback-host.js';

/** An error the stand-in answers as AWS does: status 400 with `{__type, message}`. */
export class AwsJsonError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AwsJsonServiceOptions {
  port: number;
  /** The service stood in for, in messages (`Step Functions`). */
  name: string;
  /** The tag of its log lines (`[sfn]`). */
  logTag: string;
  /** `application/x-amz-json-1.0` or `-1.1`, as the SDK client of the service speaks it. */
  contentType: string;
  /** The `X-Amz-Target` prefix before the operation's name (`AWSStepFunctions.`). */
  targetPrefix: string;
  /** The operations served, by name; each takes the request's JSON object. */
  operations: Readonly<Record<string, (input: Record<string, unknown>) => unknown>>;
  /** The `__type` of an unexpected failure, as the service names it. */
  internalErrorType: string;
  /** The stand-in's own routes outside the protocol: answer and return true, or return false. */
  ownRoute?: (request: IncomingMessage, response: ServerResponse, url: URL) => boolean;
}

/**
 * Serves an AWS JSON-protocol service (awsJson1_0/1_1) as the AWS SDK v3 calls it: `POST /` with
 * `X-Amz-Target: <prefix><Operation>` and a JSON object body. Shared by the local stand-ins, which
 * bring only their operations.
 */
export async function startAwsJsonService(
  options: AwsJsonServiceOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (options.ownRoute?.(request, response, url)) return;
    const requestId = randomUUID();
    const answer = (status: number, payload: unknown) => {
      response.writeHead(status, { 'Content-Type': options.contentType, 'x-amzn-RequestId': requestId });
      response.end(JSON.stringify(payload));
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(options.targetPrefix) ? options.operations[target.slice(options.targetPrefix.length)] : undefined;
      if (request.method !== 'POST' || url.pathname !== '/' || !operation) {
        throw new AwsJsonError(
          'UnknownOperationException',
          `the ${options.name} stand-in does not implement ${request.method} ${url.pathname} ${target}`,
        );
      }
      let input: unknown;
      try {
        input = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        throw new AwsJsonError('SerializationException', 'the request body is not valid JSON');
      }
      if (!input || typeof input !== 'object' || Array.isArray(input))
        throw new AwsJsonError('SerializationException', 'the request body is not a JSON object');
      answer(200, operation(input as Record<string, unknown>));
    } catch (error) {
      if (!(error instanceof AwsJsonError)) throw error;
      answer(400, { __type: error.type, message: error.message });
    }
  };

  const server = createServer((request, response) => {
    if (!hasLoopbackHost(request)) return refuseForeignHost(request, response);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        handle(request, response, Buffer.concat(chunks));
      } catch (error) {
        console.error(`${options.logTag} request failed`, error);
        if (!response.headersSent) response.writeHead(500, { 'Content-Type': options.contentType });
        response.end(JSON.stringify({ __type: options.internalErrorType, message: `the ${options.name} stand-in failed` }));
      }
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
