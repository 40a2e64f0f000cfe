import * as z from 'zod';
import { CHANNELS, PRIORITIES } from '#cases';
import { WORK_STATUSES } from '../domain/routing-ports.js';

/** What the routing API shows of work items, their decision records and the queues. */

export const workView = z.object({
  id: z.string(),
  caseId: z.string(),
  queue: z.string(),
  channel: z.enum(CHANNELS),
  /** Capacity units the item takes from its owner's budget. */
  weight: z.number().int(),
  language: z.string().nullable(),
  topic: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  enqueuedAt: z.string(),
  declinedBy: z.array(z.string()),
  status: z.enum(WORK_STATUSES),
  owner: z.string().nullable(),
  offerId: z.string().nullable(),
  offeredAt: z.string().nullable(),
  offerExpiresAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  releasedAt: z.string().nullable(),
  releaseReason: z.string().nullable(),
});

const candidateView = z.object({
  agentId: z.string(),
  skills: z.array(z.object({ skill: z.string(), level: z.number().int() })),
  load: z.number(),
  capacity: z.number(),
  remaining: z.number(),
  idleSeconds: z.number(),
  eligible: z.boolean(),
  excludedBecause: z.array(z.string()),
  declinedBefore: z.boolean(),
});

const decisionView = z.object({
  itemId: z.string(),
  caseId: z.string(),
  at: z.string(),
  step: z.object({
    index: z.number().int(),
    afterSeconds: z.number(),
    requirements: z.array(z.object({ skill: z.string(), minLevel: z.number().int() })),
  }),
  waitedSeconds: z.number(),
  candidates: z.array(candidateView),
  winner: z.string().nullable(),
  reason: z.string(),
  omittedCandidates: z.number().int().optional(),
});

const queueView = z.object({
  queue: z.string(),
  label: z.string(),
  waiting: z.number().int(),
  waitingByPriority: z.record(z.string(), z.number().int()),
  oldestWaitSeconds: z.number().nullable(),
  agentsAvailable: z.number().int(),
  agentsWithRoom: z.number().int(),
  agentsServing: z.number().int(),
});

export const agentWorkView = z.object({ offers: z.array(workView), accepted: z.array(workView) });
export const queueListView = z.object({ items: z.array(queueView) });
export const routingRecordView = workView.extend({ decision: decisionView.nullable() });
