import { AsyncLocalStorage } from 'node:async_hooks';
import { randomInt, randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoCaseStore } from '#cases/adapters/dynamodb/case-store';
import { dynamoDocumentClient } from '#platform/adapters/dynamodb/client';
import { DynamoCustomerDirectory } from '#cases/adapters/dynamodb/customer-directory';
import { identityItemKey } from '#customers/adapters';
import { logger } from '#platform/adapters/logger';
import { cryptoSecrets, systemClock, ulidGenerator } from '#platform/adapters/system';
import { systemActor } from '#platform/domain/actor';
import type { CaseDeps } from '#cases/use-cases/deps';
import { openCase } from '#cases/use-cases/open-case';
import { percentile, round, timed, type Figure } from './report.js';
import { DEMO_CASE_SETTINGS } from '../test/support/demo-settings.js';

const READS = new Set(['GetItemCommand', 'BatchGetItemCommand', 'QueryCommand', 'GetCommand', 'BatchGetCommand']);

/** Callers the lookup cycles through, each with a few cases (the newest open one in `stores`). */
const CALLERS = 50;
const CASES_PER_CALLER = 3;

/**
 * Counts the DynamoDB requests the handlers' client sends inside the bench's own lookups
 * (`ownCalls.run`) only: the running runtime's functions share the client (the cases the bench
 * opens reach the routing and SLA functions through the stream) and must not count.
 */
const ownCalls = new AsyncLocalStorage<true>();
let ownRequests = 0;
let counting = false;
function installCounter(): void {
  if (counting) return;
  counting = true;
  dynamoDocumentClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (ownCalls.getStore() && READS.has(String(context.commandName))) ownRequests += 1;
      return next(args);
    },
    // Its own name: the API bench adds its counter to the same client in the same process.
    { step: 'initialize', name: 'connectBenchRequestCounter' },
  );
}

/** A contact flow event of an inbound call from `phone`, shaped like test/fixtures/connect/contact-flow-event.json. */
function contactFlowEvent(phone: string): unknown {
  const contactId = randomUUID();
  const instance = 'arn:aws:connect:eu-central-1:111111111111:instance/c8c0e68d-2200-4265-82c0-0a1b2c3d4e5f';
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: {},
        Channel: 'VOICE',
        ContactId: contactId,
        CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' },
        InitialContactId: contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: instance,
        PreviousContactId: contactId,
        Queue: null,
        SystemEndpoint: { Address: '+48223456789', Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: {},
    },
  };
}

/**
 * The contact flow's caller lookup (functions/telephony/handlers/customer-lookup.ts) against DynamoDB
 * Local, beside a raw GetItem of the same kind (the caller's phone identity, eventually consistent)
 * in the same run, and the DynamoDB requests each lookup makes.
 *
 * It prepares its own callers: 50 customers with a phone number each (numbers of this run only)
 * and 3 cases each, opened through the open-case use case.
 */
export async function benchCallerLookup(options: {
  casesTable: string;
  handler: (event: unknown) => Promise<Record<string, string>>;
  iterations: number;
}): Promise<Figure[]> {
  const { casesTable, handler, iterations } = options;
  installCounter();
  const deps: CaseDeps = {
    cases: new DynamoCaseStore(dynamoDocumentClient, casesTable),
    customers: new DynamoCustomerDirectory(dynamoDocumentClient, casesTable),
    clock: systemClock,
    ids: ulidGenerator,
    secrets: cryptoSecrets,
    settings: DEMO_CASE_SETTINGS,
    backoff: async () => undefined,
  };
  // Polish numbers `+48 51r rrn nnn`: the run's own three digits keep earlier runs' customers out.
  const run = String(randomInt(0, 1000)).padStart(3, '0');
  const phones = Array.from({ length: CALLERS }, (_, i) => `+4851${run}${String(i).padStart(4, '0')}`);
  for (const [i, phone] of phones.entries()) {
    for (let c = 0; c < CASES_PER_CALLER; c += 1) {
      await openCase(
        deps,
        {
          subject: `Bench call ${c}`,
          description: 'Dzień dobry, dzwonię w sprawie zamówienia.',
          channel: 'phone',
          queue: c === CASES_PER_CALLER - 1 ? 'stores' : 'customers',
          customer: { phone, name: `Bench Caller ${i}` },
        },
        systemActor('bench'),
      );
    }
  }

  const raw = new DynamoDBClient({});
  const lookup = async (i: number) => {
    const answer = await ownCalls.run(true, () => handler(contactFlowEvent(phones[i % CALLERS] as string)));
    if (answer.status !== 'ok' || answer.found !== 'true' || answer.suggestedQueue !== 'stores') {
      throw new Error(`customer-lookup answered ${JSON.stringify(answer)}`);
    }
  };
  const rawGet = async (i: number) => {
    const key = identityItemKey({ type: 'phone', value: phones[i % CALLERS] as string });
    const result = await raw.send(new GetItemCommand({ TableName: casesTable, Key: { PK: { S: key.PK }, SK: { S: key.SK } } }));
    if (!result.Item) throw new Error(`no identity item for ${key.PK}`);
  };

  // The handler logs each lookup; a bench of hundreds would drown its own table.
  const logLevel = logger.getLevelName();
  logger.setLogLevel('WARN');
  try {
    // Warm up the JIT, the connection pools and DynamoDB Local itself (a JVM too).
    await timed(100, async (i) => {
      await lookup(i);
      await rawGet(i);
    });
    const rawGetSamples = await timed(iterations, rawGet);
    ownRequests = 0;
    const lookupSamples = await timed(iterations, lookup);
    const requestsPerLookup = ownRequests / iterations;

    const p = (samples: number[], q: number) => round(percentile(samples, q));
    return [
      { name: 'connect lookup p50', value: p(lookupSamples, 50), unit: 'ms' },
      { name: 'connect lookup p99', value: p(lookupSamples, 99), unit: 'ms' },
      { name: 'connect raw GetItem p50', value: p(rawGetSamples, 50), unit: 'ms' },
      {
        name: 'connect lookup / GetItem p50 ratio',
        value: round(percentile(lookupSamples, 50) / percentile(rawGetSamples, 50)),
        unit: 'x',
      },
      { name: 'connect lookup DynamoDB requests', value: round(requestsPerLookup), unit: 'requests', target: '<= 2' },
    ];
  } finally {
    logger.setLogLevel(logLevel);
    raw.destroy();
  }
}
