import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { AwsJsonError, startAwsJsonService } from './aws-json-service.js';

/** An event the stand-in accepted, as `GET /events` lists it. */
export interface CapturedEvent {
  id: string;
  /** ISO 8601: the entry's `Time`, or when the stand-in received it. */
  time: string;
  source: string;
  detailType: string;
  /** The entry's `Detail`, parsed. */
  detail: Record<string, unknown>;
  /** The bus name (an ARN given as `EventBusName` is reduced to its name). */
  eventBusName: string;
  resources: string[];
}

export interface EventBridgeLocalOptions {
  /** 0 picks a free port. */
  port: number;
  /** Bus names that exist besides `default`; when given, entries naming another bus fail as in AWS. */
  eventBuses?: string[];
  /** How many events are kept; the oldest are dropped first. */
  maxEvents?: number;
  /** Events captured before (by the previous run, persisted by the runtime), oldest first. */
  initialEvents?: CapturedEvent[];
}

export interface EventBridgeLocal {
  server: Server;
  /** `http://127.0.0.1:<port>`: the SDK endpoint, and `/events` for the captured events. */
  url: string;
  /** The captured events, oldest first. */
  events(): CapturedEvent[];
  stop(): Promise<void>;
}

/** PutEvents quotas (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html). */
const MAX_ENTRIES = 10;
/** Total entry size of one request, in bytes, counted as EventBridge counts it (see `entrySize`). */
const MAX_REQUEST_BYTES = 256 * 1024;
const DEFAULT_MAX_EVENTS = 5000;

interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  /** Epoch seconds: awsJson1_1 sends timestamps as numbers. */
  Time?: unknown;
  Resources?: unknown;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * Starts a local stand-in for EventBridge's `PutEvents` as the AWS SDK v3 sends it (awsJson1_1,
 * `X-Amz-Target: AWSEvents.PutEvents`). It validates what EventBridge validates that our code could
 * get wrong (entry count, request size, required fields, `Detail` being a JSON object, the bus
 * existing), reports bad entries per entry as EventBridge does, and keeps accepted events in memory
 * for `GET /events?detailType=&source=`. Nothing is routed to rules or targets.
 */
export async function startEventBridgeLocal(options: EventBridgeLocalOptions): Promise<EventBridgeLocal> {
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const knownBuses = options.eventBuses ? new Set(['default', ...options.eventBuses]) : null;
  const captured: CapturedEvent[] = (options.initialEvents ?? []).slice(-maxEvents);

  const putEvents = (input: unknown): { FailedEntryCount: number; Entries: EntryResult[] } => {
    const entries = (input as { Entries?: unknown } | null)?.Entries;
    if (!Array.isArray(entries)) {
      throw new AwsJsonError(
        'ValidationException',
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
      throw new AwsJsonError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
      );
    }
    const size = entries.reduce((total: number, entry: PutEventsEntry) => total + entrySize(entry), 0);
    if (size > MAX_REQUEST_BYTES) {
      throw new AwsJsonError('ValidationException', 'Total size of the entries in the request is over the limit.');
    }
    const results = entries.map((entry: PutEventsEntry): EntryResult => {
      const problem = entryProblem(entry, knownBuses);
      if (problem) return problem;
      const event: CapturedEvent = {
        id: randomUUID(),
        time: typeof entry.Time === 'number' ? new Date(entry.Time * 1000).toISOString() : new Date().toISOString(),
        source: entry.Source as string,
        detailType: entry.DetailType as string,
        detail: JSON.parse(entry.Detail as string) as Record<string, unknown>,
        eventBusName: busNameOf(entry.EventBusName),
        resources: Array.isArray(entry.Resources) ? entry.Resources.map(String) : [],
      };
      captured.push(event);
      if (captured.length > maxEvents) captured.splice(0, captured.length - maxEvents);
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  };

  const listEvents = (url: URL): { events: CapturedEvent[] } => {
    const detailType = url.searchParams.get('detailType');
    const source = url.searchParams.get('source');
    return {
      events: captured.filter(
        (event) => (detailType === null || event.detailType === detailType) && (source === null || event.source === source),
      ),
    };
  };

  const service = await startAwsJsonService({
    port: options.port,
    name: 'EventBridge',
    logTag: '[eventbridge]',
    contentType: 'application/x-amz-json-1.1',
    targetPrefix: 'AWSEvents.',
    operations: { PutEvents: putEvents },
    internalErrorType: 'InternalException',
    ownRoute: (request, response, url) => {
      if (request.method !== 'GET' || url.pathname !== '/events') return false;
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(listEvents(url)));
      return true;
    },
  });
  return {
    server: service.server,
    url: service.url,
    events: () => [...captured],
    stop: service.close,
  };
}

/**
 * An entry's size as EventBridge counts it towards the request limit: 14 bytes for a `Time`, plus the
 * UTF-8 bytes of Source, DetailType, Detail and every resource
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html).
 */
function entrySize(entry: PutEventsEntry): number {
  if (!entry || typeof entry !== 'object') return 0;
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  let size = entry.Time !== undefined && entry.Time !== null ? 14 : 0;
  size += bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail);
  if (Array.isArray(entry.Resources)) for (const resource of entry.Resources) size += bytes(resource);
  return size;
}

/** What EventBridge answers for an entry it refuses, or null for a good one. */
function entryProblem(entry: PutEventsEntry, knownBuses: Set<string> | null): { ErrorCode: string; ErrorMessage: string } | null {
  const invalid = (parameter: string, reason: string) => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
  });
  if (!entry || typeof entry !== 'object') return invalid('Entry', 'Entry is not an object.');
  if (typeof entry.Source !== 'string' || entry.Source === '') return invalid('Source', 'Source is a required argument.');
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '') return invalid('DetailType', 'DetailType is a required argument.');
  if (typeof entry.Detail !== 'string' || entry.Detail === '') return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = null;
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail))
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const bus = busNameOf(entry.EventBusName);
  if (knownBuses && !knownBuses.has(bus))
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
  return null;
}

/** `EventBusName` may be a name or an ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`); absent means `default`. */
function busNameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  return value.startsWith('arn:') ? (value.split(':event-bus/')[1] ?? value) : value;
}
