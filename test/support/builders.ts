import type { Actor } from '#platform/domain/actor';
import { InMemoryCasesDb } from './memory/in-memory-cases-db.js';
import { type Case, EMPTY_CASE_METRICS } from '#cases/domain/case';
import type { CaseMessage } from '#cases/domain/case-message';
import { type CaseEndings, NO_CASE_ENDINGS } from '#cases/domain/case-ports';
import type { CaseDeps } from '#cases/use-cases/deps';
import type { OpenCaseInput } from '#cases/use-cases/open-case';
import { FakeClock, SequentialIds, SequentialSecrets } from './fakes.js';
import { DEMO_CASE_SETTINGS } from './demo-settings.js';

export const agentActor: Actor = { kind: 'user', id: 'agent-07', roles: ['agents'] };
export const supervisorActor: Actor = { kind: 'user', id: 'supervisor-1', roles: ['supervisors'] };

/** Use-case dependencies in memory, with a fake clock and predictable ids. */
export function memoryDeps(): CaseDeps & { db: InMemoryCasesDb; clock: FakeClock; endings: CaseEndings } {
  const db = new InMemoryCasesDb();
  return {
    db,
    cases: db,
    customers: db,
    clock: new FakeClock(),
    ids: new SequentialIds(),
    secrets: new SequentialSecrets(),
    settings: DEMO_CASE_SETTINGS,
    backoff: async () => undefined,
    endings: NO_CASE_ENDINGS,
  };
}

/** A valid open-case request; override what the test is about. */
export function openCaseInput(overrides: Partial<OpenCaseInput> = {}): OpenCaseInput {
  return {
    subject: 'Zamówienie 1234 nie dotarło',
    description: 'Dzień dobry, paczka miała być wczoraj.',
    channel: 'web',
    customer: { email: 'Anna.Kowalska@Example.PL', name: 'Anna Kowalska' },
    ...overrides,
  };
}

/** A case in a given state, built directly (not through a use case), for pure domain tests. */
export function aCase(overrides: Partial<Case> = {}): Case {
  const at = '2026-11-23T08:00:00.000Z';
  return {
    id: 'case-1',
    number: 'CS-000001',
    subject: 'Subject',
    description: 'Description',
    channel: 'email',
    status: 'new',
    priority: 'normal',
    category: null,
    queue: 'customers',
    language: 'pl',
    customerId: 'customer-1',
    customer: { id: 'customer-1', name: 'Anna', email: 'anna@example.pl', phone: null, tier: 'standard' },
    assigneeId: null,
    tags: [],
    customFields: {},
    connectCallInProgress: false,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: 'agent-07',
    statusChangedAt: at,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    firstResponseAt: null,
    awaitingResponseSince: at,
    metrics: EMPTY_CASE_METRICS,
    slaState: null,
    replyToken: 'tok0000001',
    participants: ['anna@example.pl'],
    relatedCases: [],
    ...overrides,
  };
}

/** An inbound email on a case with one stored attachment, built directly, with its storage keys set. */
export function aMessage(overrides: Partial<CaseMessage> = {}): CaseMessage {
  return {
    id: 'm1',
    caseId: 'case-1',
    direction: 'inbound',
    channel: 'email',
    kind: 'message',
    from: 'anna@example.pl',
    fromName: 'Anna',
    to: ['support@example.com'],
    cc: [],
    subject: 'Subject',
    text: 'Text',
    textTruncated: false,
    messageId: '<m1@example.pl>',
    inReplyTo: [],
    references: [],
    attachments: [
      { filename: 'a.pdf', contentType: 'application/pdf', size: 3, checksum: 'abc', key: 'mail/attachments/a1', inline: false },
    ],
    rejectedAttachments: [],
    threading: { method: 'new_case', confidence: 'none' },
    automation: null,
    rawKey: 'mail/raw/m1',
    authorId: null,
    delivery: null,
    createdAt: '2026-11-23T08:00:00.000Z',
    ...overrides,
  };
}
