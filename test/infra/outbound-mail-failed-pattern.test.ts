import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SendOutcome } from '#email/use-cases/send-outbound-email';
import { OUTBOUND_MAIL_FAILED_PATTERN } from '../../lib/stacks/email-stack.js';

// The handler builds its dependencies from the environment at import: none are used here, since
// the use case is replaced by one that returns the outcome under test.
vi.mock('#email/adapters/outbox-deps-from-env', () => ({ outboxDepsFromEnv: () => ({}) }));
const sendOutboundEmail = vi.hoisted(() => vi.fn<() => Promise<SendOutcome>>());
vi.mock('#email/use-cases/send-outbound-email', () => ({ sendOutboundEmail }));

const { handler } = await import('#email/handlers/send-outbound');

/**
 * The pattern's terms, `$.<key> = "<value>"` joined by `&&`. The test refuses any other shape, so
 * matching a line against these terms is what CloudWatch Logs does with the pattern.
 */
function termsOf(pattern: string): [string, string][] {
  const terms = [...pattern.matchAll(/\$\.(\w+) = "([^"]*)"/g)].map(([, key, value]) => [key!, value!] as [string, string]);
  expect(pattern).toBe(`{ ${terms.map(([key, value]) => `$.${key} = "${value}"`).join(' && ')} }`);
  return terms;
}

const matches = (line: Record<string, unknown>) => termsOf(OUTBOUND_MAIL_FAILED_PATTERN).every(([key, value]) => line[key] === value);

/** One stream record of a queued message item, as the outbox's event source mapping passes it. */
const queuedMessageEvent = (): DynamoDBStreamEvent => ({
  Records: [
    {
      eventName: 'MODIFY',
      dynamodb: {
        SequenceNumber: '100',
        NewImage: {
          entity: { S: 'message' },
          caseId: { S: '01JCASE0000000000000000000' },
          id: { S: '01JMESSAGE0000000000000000' },
          delivery: { M: { status: { S: 'queued' } } },
        },
      },
    },
  ],
});

/** The JSON lines the handler writes to stdout and stderr while handling one queued message. */
async function logLinesFor(outcome: SendOutcome | Error): Promise<Record<string, unknown>[]> {
  if (outcome instanceof Error) sendOutboundEmail.mockRejectedValueOnce(outcome);
  else sendOutboundEmail.mockResolvedValueOnce(outcome);
  const written: string[] = [];
  // Powertools writes INFO to stdout and ERROR to stderr; CloudWatch Logs gets both in one log stream.
  const spies = [process.stdout, process.stderr].map((stream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    }),
  );
  try {
    await handler(queuedMessageEvent());
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the failed-mail metric filter against the outbox handler's log", () => {
  afterEach(() => sendOutboundEmail.mockReset());

  it('matches the one line the handler writes for a message that failed for good', async () => {
    // Act
    const lines = await logLinesFor('failed');

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'outbound email', outcome: 'failed', caseId: '01JCASE0000000000000000000' });
    expect(matches(lines[0]!)).toBe(true);
  });

  it.each<SendOutcome>(['sent', 'skipped', 'retry'])('matches no line for outcome %s', async (outcome) => {
    // Act
    const lines = await logLinesFor(outcome);

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines.filter(matches)).toEqual([]);
  });

  it('matches no line for an error the handler reports for a retry of the stream record', async () => {
    // Act
    const lines = await logLinesFor(new Error('cases table unavailable'));

    // Assess
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', message: 'outbound email failed' })]);
    expect(lines.filter(matches)).toEqual([]);
  });
});
