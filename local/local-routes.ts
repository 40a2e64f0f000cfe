import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../functions/adapters/dynamodb/keys.js';
import type { KinesisDelivery } from './kinesis-delivery.js';
import type { LocalAuth } from './local-auth.js';

interface LocalRouteContext {
  request: IncomingMessage;
  response: ServerResponse;
  body: Buffer;
  url: URL;
  auth: LocalAuth;
  documents: DynamoDBDocumentClient;
  agentStateTable: string;
  /** The Kinesis-triggered functions of Connect's agent event stream; null when the template has none. */
  agentEvents: KinesisDelivery | null;
}

type Send = (status: number, payload: unknown) => number;

/**
 * Routes that exist only in the local runtime, under `/local/`, without a token:
 * - `POST /local/token {"username"}` signs in a seeded user (the agent-state table is the user
 *   directory) and returns an ID token carrying their groups, as Cognito would after a real sign-in;
 * - `POST /local/connect/agent-events` takes one Amazon Connect agent event or an array of them and
 *   delivers them as Kinesis records to the functions the agent event stream triggers, standing in
 *   for Connect and Kinesis.
 */
export async function handleLocalRoute(context: LocalRouteContext): Promise<number> {
  const { request, response, url } = context;
  const send: Send = (status, payload) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(payload));
    return status;
  };
  if (request.method === 'POST' && url.pathname === '/local/token') return issueToken(context, send);
  if (request.method === 'POST' && url.pathname === '/local/connect/agent-events') return deliverAgentEvents(context, send);
  return send(404, { error: { code: 'not_found', message: `no local route ${request.method} ${url.pathname}` } });
}

async function issueToken(context: LocalRouteContext, send: Send): Promise<number> {
  let username: unknown;
  try {
    username = (JSON.parse(context.body.toString('utf8') || '{}') as { username?: unknown }).username;
  } catch {
    return send(400, { error: { code: 'invalid_json', message: 'the body is not valid JSON' } });
  }
  if (typeof username !== 'string' || username === '') {
    return send(400, {
      error: { code: 'validation_failed', message: 'give {"username": …}', details: { fields: [{ path: 'body.username', message: 'required' }] } },
    });
  }
  const user = await context.documents.send(new GetCommand({ TableName: context.agentStateTable, Key: keys.agent(username) }));
  if (!user.Item) {
    return send(404, { error: { code: 'not_found', message: `no seeded user ${username}; try admin, supervisor-1 or a username from GET /agents` } });
  }
  const groups = (user.Item.roles as string[] | undefined) ?? [];
  const issued = await context.auth.issue({ username, email: String(user.Item.email), groups });
  return send(200, { token: issued.token, username, groups, expiresIn: issued.expiresIn });
}

async function deliverAgentEvents(context: LocalRouteContext, send: Send): Promise<number> {
  if (!context.agentEvents) {
    return send(404, { error: { code: 'not_found', message: 'the template has no function triggered by a Kinesis stream (the Connect agent event stream)' } });
  }
  const invalid = (message: string, details?: unknown) =>
    send(400, { error: { code: 'validation_failed', message, ...(details === undefined ? {} : { details }) } });
  let body: unknown;
  try {
    body = JSON.parse(context.body.toString('utf8'));
  } catch {
    return invalid('the body must be an Amazon Connect agent event (a JSON object) or an array of them; it is not valid JSON');
  }
  if (body === null || typeof body !== 'object') {
    return invalid('the body must be an Amazon Connect agent event (a JSON object) or an array of them');
  }
  const events: unknown[] = Array.isArray(body) ? body : [body];
  if (events.length === 0) return invalid('give at least one agent event', { fields: [{ path: 'body', message: 'must not be empty' }] });
  const notObjects = events.flatMap((event, index) =>
    event === null || typeof event !== 'object' || Array.isArray(event) ? [{ path: `body[${index}]`, message: 'must be an object' }] : [],
  );
  if (notObjects.length > 0) return invalid('every agent event must be a JSON object', { fields: notObjects });
  return send(200, await context.agentEvents.deliver(events));
}
