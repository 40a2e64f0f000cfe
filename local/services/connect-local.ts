import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An outbound call the stand-in was asked to place, and what became of it. */
export interface OutboundCall {
  contactId: string;
  requestedAt: string;
  /** The `StartOutboundVoiceContact` request as the SDK sent it. */
  request: Record<string, unknown>;
  state: 'dialling' | 'answered' | 'no_answer';
  endedAt: string | null;
}

/** How a test or a person ends a dialled call. */
export type CallOutcome =
  { outcome: 'answered'; agentId?: string | undefined; talkSeconds?: number | undefined } | { outcome: 'no_answer' };

/** A contact event as Amazon Connect puts it on EventBridge (`detail-type` "Amazon Connect Contact Event"). */
export interface ConnectContactEvent {
  source: 'aws.connect';
  'detail-type': 'Amazon Connect Contact Event';
  resources: string[];
  detail: Record<string, unknown>;
}

export interface ConnectLocalOptions {
  /** 0 picks a free port. */
  port: number;
  region: string;
  account: string;
  /** The instance ARN the template names (`switchboard:connectInstanceArn`). */
  instanceArn: string;
  /** Where the contact events of an ended call go (the runtime hands them to the template's rules). */
  publish: (events: ConnectContactEvent[]) => Promise<void>;
  log: (line: string) => void;
}

export interface ConnectLocal {
  url: string;
  calls(): OutboundCall[];
  /** Ends a dialled call and publishes its contact events; null when no such call is dialling. */
  end(contactId: string, outcome: CallOutcome): Promise<OutboundCall | null>;
  stop(): Promise<void>;
}

const OUTBOUND_PATH = '/contact/outbound-voice';

/**
 * A stand-in for the one Amazon Connect API call Switchboard makes, `StartOutboundVoiceContact`
 * (REST JSON, `PUT /contact/outbound-voice`), as `@aws-sdk/client-connect` sends it through
 * `AWS_ENDPOINT_URL_CONNECT`. It places no call: it records the request (one contact per
 * `ClientToken`, as Connect's idempotency token promises) and waits for someone to say how the call
 * ended (`end`), then publishes the contact events Connect would (INITIATED, CONNECTED_TO_AGENT
 * when answered, DISCONNECTED) with `initiationMethod: API`.
 */
export async function startConnectLocal(options: ConnectLocalOptions): Promise<ConnectLocal> {
  const state: Calls = { options, calls: new Map(), byToken: new Map(), instanceId: options.instanceArn.split('/').at(-1) ?? '' };
  const { calls } = state;

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(state, request, response, Buffer.concat(chunks).toString('utf8')));
  });

  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => [...calls.values()],
    async end(contactId, outcome) {
      const call = calls.get(contactId);
      if (!call || call.state !== 'dialling') return null;
      const endedAt = new Date();
      call.state = outcome.outcome;
      call.endedAt = endedAt.toISOString();
      options.log(`[connect] outbound call ${contactId}: ${outcome.outcome.replace('_', ' ')}`);
      await options.publish(eventsOf(options.instanceArn, call, outcome, endedAt));
      return call;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** The calls the stand-in was asked for, by contact id, and the contact each `ClientToken` got. */
interface Calls {
  options: ConnectLocalOptions;
  calls: Map<string, OutboundCall>;
  byToken: Map<string, string>;
  /** The instance's id, the last part of its ARN: requests may name either. */
  instanceId: string;
}

/** StartOutboundVoiceContact: checks the request as Connect would and records the call (once per ClientToken). */
function handle(state: Calls, request: IncomingMessage, response: ServerResponse, text: string): void {
  if (request.method !== 'PUT' || request.url?.split('?')[0] !== OUTBOUND_PATH) {
    reply(
      response,
      404,
      { message: `the local Connect stand-in serves only StartOutboundVoiceContact (PUT ${OUTBOUND_PATH})` },
      'ResourceNotFoundException',
    );
    return;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text || '{}') as Record<string, unknown>;
  } catch {
    reply(response, 400, { message: 'the body is not JSON' }, 'InvalidParameterException');
    return;
  }
  const missing = ['DestinationPhoneNumber', 'ContactFlowId', 'InstanceId'].filter(
    (field) => typeof body[field] !== 'string' || body[field] === '',
  );
  if (missing.length > 0) {
    reply(response, 400, { message: `missing ${missing.join(', ')}` }, 'InvalidParameterException');
    return;
  }
  if (body.InstanceId !== state.instanceId && body.InstanceId !== state.options.instanceArn) {
    reply(
      response,
      404,
      { message: `no instance ${String(body.InstanceId)} (the stand-in is ${state.instanceId})` },
      'ResourceNotFoundException',
    );
    return;
  }
  if (!/^\+[1-9]\d{6,14}$/.test(String(body.DestinationPhoneNumber))) {
    reply(response, 400, { message: 'DestinationPhoneNumber must be E.164' }, 'InvalidParameterException');
    return;
  }
  const token = typeof body.ClientToken === 'string' ? body.ClientToken : null;
  const existing = token ? state.byToken.get(token) : undefined;
  if (existing) {
    reply(response, 200, { ContactId: existing });
    return;
  }
  const contactId = randomUUID();
  if (token) state.byToken.set(token, contactId);
  state.calls.set(contactId, { contactId, requestedAt: new Date().toISOString(), request: body, state: 'dialling', endedAt: null });
  state.options.log(
    `[connect] outbound call ${contactId} to ${String(body.DestinationPhoneNumber)} (queue ${String(body.QueueId ?? '-')}): dialling, not a real call; end it with POST /local/connect/outbound/${contactId}`,
  );
  reply(response, 200, { ContactId: contactId });
}

function reply(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}) });
  response.end(JSON.stringify(body));
}

/** The contact events Connect publishes for an ended outbound call. */
function eventsOf(instanceArn: string, call: OutboundCall, outcome: CallOutcome, endedAt: Date): ConnectContactEvent[] {
  const contactArn = `${instanceArn}/contact/${call.contactId}`;
  const initiated = new Date(call.requestedAt);
  const queueId = typeof call.request.QueueId === 'string' ? call.request.QueueId : null;
  const queueInfo = queueId
    ? { queueArn: `${instanceArn}/queue/${queueId}`, queueType: 'STANDARD', enqueueTimestamp: initiated.toISOString() }
    : undefined;
  const base = {
    contactId: call.contactId,
    initialContactId: call.contactId,
    channel: 'VOICE',
    instanceArn: instanceArn,
    initiationMethod: 'API',
    initiationTimestamp: initiated.toISOString(),
    ...(queueInfo ? { queueInfo } : {}),
  };
  const agentInfo =
    outcome.outcome === 'answered'
      ? {
          agentArn: `${instanceArn}/agent/${outcome.agentId ?? 'local-agent'}`,
          connectedToAgentTimestamp: new Date(endedAt.getTime() - (outcome.talkSeconds ?? 60) * 1000).toISOString(),
        }
      : undefined;
  const event = (detail: Record<string, unknown>): ConnectContactEvent => ({
    source: 'aws.connect',
    'detail-type': 'Amazon Connect Contact Event',
    resources: [contactArn, instanceArn],
    detail: { ...base, ...detail },
  });
  return [
    event({ eventType: 'INITIATED' }),
    ...(agentInfo
      ? [event({ eventType: 'CONNECTED_TO_AGENT', agentInfo, connectedToSystemTimestamp: agentInfo.connectedToAgentTimestamp })]
      : []),
    event({ eventType: 'DISCONNECTED', disconnectTimestamp: endedAt.toISOString(), ...(agentInfo ? { agentInfo } : {}) }),
  ];
}
