import * as z from 'zod';
import { slaEscalationDepsFromEnv } from '../adapters/sla-deps-from-env.js';
import { logger } from '#platform/adapters/logger';
import { MILESTONES } from '../domain/sla-policy.js';
import { evaluateSla } from '../use-cases/evaluate-sla.js';

const deps = slaEscalationDepsFromEnv();

/** What the SLA state machine passes: the timer's input, as started by the relay. */
const turnSchema = z.object({
  caseId: z.string().min(1).max(64),
  milestone: z.enum(MILESTONES),
  cycle: z.number().int().min(1),
  generation: z.number().int().min(0),
  wakeAt: z.string().optional(),
});

/** The state machine's next step: `action` decides between waiting again (until `wakeAt`) and ending. */
export interface TimerOutput {
  caseId: string;
  milestone: string;
  cycle: number;
  generation: number;
  action: 'wait' | 'end';
  wakeAt: string | null;
  reason: string | null;
}

/**
 * The SLA timer's task (Step Functions): evaluates one clock and tells the state machine whether
 * to wait again. A malformed input ends the timer (retrying cannot fix it) and is logged; a failure
 * to evaluate throws, and the state machine's Retry tries again (evaluation is idempotent).
 */
export async function handler(event: unknown): Promise<TimerOutput> {
  const parsed = turnSchema.safeParse(event);
  if (!parsed.success) {
    logger.error('sla timer input is malformed', { event: JSON.stringify(event).slice(0, 2000), issues: parsed.error.issues });
    const input = (event ?? {}) as Partial<TimerOutput>;
    return {
      caseId: String(input.caseId ?? ''),
      milestone: String(input.milestone ?? ''),
      cycle: Number(input.cycle ?? 0),
      generation: Number(input.generation ?? 0),
      action: 'end',
      wakeAt: null,
      reason: 'malformed timer input',
    };
  }
  const turn = parsed.data;
  const step = await evaluateSla(deps, turn);
  if (step.action === 'end')
    logger.info('sla timer ends', { caseId: turn.caseId, milestone: turn.milestone, generation: turn.generation, reason: step.reason });
  return {
    caseId: turn.caseId,
    milestone: turn.milestone,
    cycle: turn.cycle,
    generation: turn.generation,
    action: step.action,
    wakeAt: step.action === 'wait' ? step.wakeAt : null,
    reason: step.action === 'end' ? step.reason : null,
  };
}
