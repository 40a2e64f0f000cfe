import * as z from 'zod';
import { CHANNELS, PRIORITIES } from '#cases';
import type { WorkRecord } from '../../domain/routing-ports.js';
import { WORK_STATUSES } from '../../domain/routing-ports.js';

/**
 * The messages of a routing queue: place an item (its snapshot travels along, so placing it costs
 * no read; the reservation's conditions catch a stale one), or end an offer whose time is up.
 */
const workSnapshot = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  queue: z.string().min(1),
  channel: z.enum(CHANNELS),
  weight: z.number().int().positive(),
  language: z.string().nullable(),
  topic: z.string().nullable(),
  priority: z.enum(PRIORITIES),
  enqueuedAt: z.iso.datetime(),
  declinedBy: z.array(z.string()),
  status: z.enum(WORK_STATUSES),
  caseVersion: z.number().int(),
});

export const routingMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('route'), item: workSnapshot, excludeDecliners: z.boolean(), recheckId: z.string().nullable() }),
  z.object({ type: z.literal('expire-offer'), workId: z.string().min(1), agentId: z.string().min(1), offerId: z.string().min(1) }),
]);
export type RoutingMessage = z.infer<typeof routingMessage>;

/** The part of a work record a route message carries (the decision record stays in the table). */
export function snapshotOf(work: WorkRecord): z.infer<typeof workSnapshot> {
  return {
    id: work.id,
    caseId: work.caseId,
    queue: work.queue,
    channel: work.channel,
    weight: work.weight,
    language: work.language,
    topic: work.topic,
    priority: work.priority,
    enqueuedAt: work.enqueuedAt,
    declinedBy: work.declinedBy,
    status: work.status,
    caseVersion: work.caseVersion,
  };
}

/** A work record from a snapshot: routing reads only the snapshot's fields. */
export function workFromSnapshot(snapshot: z.infer<typeof workSnapshot>): WorkRecord {
  return {
    ...snapshot,
    owner: null,
    offerId: null,
    offeredAt: null,
    offerExpiresAt: null,
    acceptedAt: null,
    releasedAt: null,
    releaseReason: null,
    decision: null,
  };
}
