import * as z from 'zod';
import { CHANNELS, PRIORITIES } from '#cases';
import { TIERS } from '#customers';
import { slug } from '#platform/api/schema-parts';
import type { Weekday } from '../domain/business-calendar.js';

/** What the SLA API accepts: policy and calendar edits, and the at-risk query. */

/** Business minutes of an SLA target or delay: at most a year of them. */
const slaMinutes = z.number().int().min(1).max(525_600);
const openingPeriod = z
  .object({
    start: z.string().regex(/^\d{2}:\d{2}$/, 'a local time HH:MM'),
    end: z.string().regex(/^\d{2}:\d{2}$/, 'a local time HH:MM (24:00 for midnight)'),
  })
  .strict();
const openingHours = z.array(openingPeriod).max(12).default([]);

export const slaPolicyBody = z
  .object({
    description: z.string().max(500).default(''),
    rank: z.number().int().min(0).max(1_000_000),
    enabled: z.boolean().default(true),
    match: z
      .object({
        priorities: z.array(z.enum(PRIORITIES)).max(PRIORITIES.length).optional(),
        categories: z.array(slug).max(50).optional(),
        channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
        queues: z.array(slug).max(50).optional(),
        tiers: z.array(z.enum(TIERS)).max(TIERS.length).optional(),
      })
      .strict()
      .default({}),
    targets: z
      .object({
        firstResponseMinutes: slaMinutes.nullable(),
        nextResponseMinutes: slaMinutes.nullable(),
        resolutionMinutes: slaMinutes.nullable(),
      })
      .strict(),
    warningPercent: z.number().int().min(1).max(99).default(80),
    pauseOnHold: z.boolean().default(false),
    calendar: slug.nullable().default(null),
    secondLevelAfterMinutes: slaMinutes.nullable().default(null),
    /** The version the edit is based on (optimistic locking); absent: whatever is current. */
    version: z.number().int().min(0).optional(),
  })
  .strict();

export const slaCalendarBody = z
  .object({
    description: z.string().max(500).default(''),
    timeZone: z.string().min(1).max(64),
    weekly: z
      .object({
        mon: openingHours,
        tue: openingHours,
        wed: openingHours,
        thu: openingHours,
        fri: openingHours,
        sat: openingHours,
        sun: openingHours,
      } satisfies Record<Weekday, typeof openingHours>)
      .strict(),
    holidays: z
      .array(
        z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'), name: z.string().max(200).default('') }).strict(),
      )
      .max(400)
      .default([]),
    version: z.number().int().min(0).optional(),
  })
  .strict();

export const atRiskQuery = z.object({ queue: slug.optional() }).strict();
