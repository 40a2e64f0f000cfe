import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { agentKey } from '#agents/adapters';
import type { EventRuleDelivery } from './event-rules.js';
import type { ConnectLocal } from './services/connect-local.js';
import type { CapturedEvent } from './services/eventbridge-local.js';
import type { KinesisDelivery } from './kinesis-delivery.js';
import type { LocalAuth } from './local-auth.js';

/** A contact-flow function as `POST /local/connect/{name}` runs it. */
export interface ContactFlowFunction {
  handler: () => Promise<(event: unknown, context: unknown) => Promise<unknown>>;
  context: () => unknown;
}

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
  /** The template's EventBridge rules (Connect's contact events reach their targets through them). */
  rules: EventRuleDelivery;
  /** Contact-flow functions by name (`customer-lookup`, …). */
  connectFunctions: ReadonlyMap<string, ContactFlowFunction>;
  /** The outbound-dialling stand-in; absent in tests that do not need it. */
  connect?: ConnectLocal | undefined;
  /** The events the EventBridge stand-in captured, oldest first; absent in tests that do not need them. */
  events?: (() => CapturedEvent[]) | undefined;
}

type Send = (status: number, payload: unknown) => number;

/**
 * Routes that exist only in the local runtime, under `/local/`, without a token:
 * - `GET /local/events?detailType=&source=` lists the domain events put on the EventBridge stand-in
 *   (as its own `GET /events` does, on the API's port, which does not change between runs);
 * - `POST /local/token {"username"}` signs in a seeded user (the agent-state table is the user
 *   directory) and returns an ID token carrying their groups, as Cognito would after a real sign-in;
 * - `POST /local/connect/agent-events` takes one Amazon Connect agent event or an array of them and
 *   delivers them as Kinesis records to the functions the agent event stream triggers, standing in
 *   for Connect and Kinesis;
 * - `POST /local/connect/contact-events` takes one EventBridge event or an array of them (Amazon
 *   Connect's "Amazon Connect Contact Event"s) and hands them to the targets of the template's rules
 *   whose patterns match, standing in for EventBridge's rule engine;
 * - `GET /local/connect/outbound` lists the calls asked of the Connect stand-in
 *   (`StartOutboundVoiceContact`), and `POST /local/connect/outbound/{contactId}`
 *   `{"outcome":"answered"|"no_answer", "agentId"?, "talkSeconds"?}` ends one, publishing the
 *   contact events Connect would;
 * - `POST /local/connect/{function}` invokes a contact-flow function (`customer-lookup`, …) with a
 *   contact flow event and answers its map, standing in for a flow's "Invoke AWS Lambda function".
 */
export async function handleLocalRoute(context: LocalRouteContext): Promise<number> {
  const { request, response, url } = context;
  const send: Send = (status, payload) => {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(payload));
    return status;
  };
  if (request.method === 'POST' && url.pathname === '/local/token') return issueToken(context, send);
  if (request.method === 'GET' && url.pathname === '/local/events') return listEvents(context, send);
  if (request.method === 'POST' && url.pathname === '/local/connect/agent-events') return deliverAgentEvents(context, send);
  if (request.method === 'POST' && url.pathname === '/local/connect/contact-events') return deliverContactEvents(context, send);
  if (request.method === 'GET' && url.pathname === '/local/connect/outbound') return send(200, { calls: context.connect?.calls() ?? [] });
  const outbound = /^\/local\/connect\/outbound\/([0-9a-f-]{36})$/.exec(url.pathname)?.[1];
  if (request.method === 'POST' && outbound) return endOutboundCall(context, send, outbound);
  const flowFunction = /^\/local\/connect\/([a-z0-9-]+)$/.exec(url.pathname)?.[1];
  if (request.method === 'POST' && flowFunction) return invokeContactFlowFunction(context, send, flowFunction);
  return send(404, { error: { code: 'not_found', message: `no local route ${request.method} ${url.pathname}` } });
}

function listEvents(context: LocalRouteContext, send: Send): number {
  const detailType = context.url.searchParams.get('detailType');
  const source = context.url.searchParams.get('source');
  const events = (context.events?.() ?? []).filter(
    (event) => (detailType === null || event.detailType === detailType) && (source === null || event.source === source),
  );
  return send(200, { events });
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
      error: {
        code: 'validation_failed',
        message: 'give {"username": …}',
        details: { fields: [{ path: 'body.username', message: 'required' }] },
      },
    });
  }
  const user = await context.documents.send(new GetCommand({ TableName: context.agentStateTable, Key: agentKey(username) }));
  if (!user.Item) {
    return send(404, {
      error: { code: 'not_found', message: `no seeded user ${username}; try admin, supervisor-1 or a username from GET /agents` },
    });
  }
  const groups = (user.Item.roles as string[] | undefined) ?? [];
  const issued = await context.auth.issue({ username, email: String(user.Item.email), groups });
  return send(200, { token: issued.token, username, groups, expiresIn: issued.expiresIn });
}

async function deliverAgentEvents(context: LocalRouteContext, send: Send): Promise<number> {
  if (!context.agentEvents) {
    return send(404, {
      error: { code: 'not_found', message: 'the template has no function triggered by a Kinesis stream (the Connect agent event stream)' },
    });
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

function parseJson(context: LocalRouteContext): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(context.body.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

async function deliverContactEvents(context: LocalRouteContext, send: Send): Promise<number> {
  const invalid = (message: string, details?: unknown) =>
    send(400, { error: { code: 'validation_failed', message, ...(details === undefined ? {} : { details }) } });
  const parsed = parseJson(context);
  if (!parsed.ok) return invalid('the body must be an EventBridge event (a JSON object) or an array of them; it is not valid JSON');
  const events: unknown[] = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  if (events.length === 0) return invalid('give at least one event', { fields: [{ path: 'body', message: 'must not be empty' }] });
  const fields = events.flatMap((event, index) => {
    const e = (event ?? {}) as Record<string, unknown>;
    const problems: { path: string; message: string }[] = [];
    if (event === null || typeof event !== 'object' || Array.isArray(event))
      return [{ path: `body[${index}]`, message: 'must be an object' }];
    if (typeof e.source !== 'string') problems.push({ path: `body[${index}].source`, message: 'required, e.g. aws.connect' });
    if (typeof e['detail-type'] !== 'string')
      problems.push({ path: `body[${index}].detail-type`, message: 'required, e.g. Amazon Connect Contact Event' });
    if (!e.detail || typeof e.detail !== 'object' || Array.isArray(e.detail))
      problems.push({ path: `body[${index}].detail`, message: 'required, an object' });
    return problems;
  });
  if (fields.length > 0) return invalid('every event needs source, detail-type and a detail object', { fields });
  const report = await context.rules.deliver(
    events.map((event) => context.rules.envelope(event as Parameters<EventRuleDelivery['envelope']>[0])),
  );
  return send(200, report);
}

async function invokeContactFlowFunction(context: LocalRouteContext, send: Send, name: string): Promise<number> {
  const fn = context.connectFunctions.get(name);
  if (!fn) {
    const known = [...context.connectFunctions.keys()];
    return send(404, {
      error: {
        code: 'not_found',
        message: `no contact-flow function ${name}; the template has ${known.length > 0 ? known.join(', ') : 'none'}`,
      },
    });
  }
  const parsed = parseJson(context);
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return send(400, {
      error: { code: 'validation_failed', message: 'the body must be an Amazon Connect contact flow event (a JSON object)' },
    });
  }
  const handler = await fn.handler();
  return send(200, await handler(parsed.value, fn.context()));
}

async function endOutboundCall(context: LocalRouteContext, send: Send, contactId: string): Promise<number> {
  if (!context.connect) return send(404, { error: { code: 'not_found', message: 'the Connect stand-in is not running' } });
  const parsed = parseJson(context);
  const body = (parsed.ok ? parsed.value : null) as { outcome?: unknown; agentId?: unknown; talkSeconds?: unknown } | null;
  if (!body || (body.outcome !== 'answered' && body.outcome !== 'no_answer')) {
    return send(400, {
      error: {
        code: 'validation_failed',
        message: 'give {"outcome": "answered" | "no_answer"}',
        details: { fields: [{ path: 'body.outcome', message: 'answered or no_answer' }] },
      },
    });
  }
  const outcome =
    body.outcome === 'answered'
      ? {
          outcome: 'answered' as const,
          agentId: typeof body.agentId === 'string' ? body.agentId : undefined,
          talkSeconds: typeof body.talkSeconds === 'number' ? body.talkSeconds : undefined,
        }
      : { outcome: 'no_answer' as const };
  const ended = await context.connect.end(contactId, outcome);
  if (ended) return send(200, ended);
  const known = context.connect.calls().some((call) => call.contactId === contactId);
  return known
    ? send(409, { error: { code: 'conflict', message: `call ${contactId} has already ended` } })
    : send(404, { error: { code: 'not_found', message: `no outbound call ${contactId}` } });
}
