import { randomUUID } from 'node:crypto';
import type { CloudModel, EventRuleDefinition } from './cloud-template.js';
import { assertSupportedPattern, matchesPattern } from './event-filter.js';
import { type FunctionLoader, functionArn, lambdaContext } from './function-loader.js';

type EventHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** An EventBridge event as a rule's target receives it. */
export interface BusEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface RuleDeliveryReport {
  /** Per event: its id and the functions it reached. */
  delivered: { id: string; detailType: string; functions: string[] }[];
  /** Events no rule of the template matched. */
  unmatched: number;
  /** Invocations that threw (EventBridge would retry them, then send them to the rule's dead-letter queue). */
  failed: { id: string; function: string; error: string }[];
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Milliseconds between runs of a `rate(…)` schedule; null for `cron(…)`, which the local runtime does not run. */
export function rateMillis(expression: string): number | null {
  const match = RATE.exec(expression);
  return match ? Number(match[1]) * (UNIT_MS[match[2] as string] as number) : null;
}

/**
 * The EventBridge rules of the template, run locally: there is no rule engine in the EventBridge
 * stand-in, so events from outside (Amazon Connect's contact events, by `POST
 * /local/connect/contact-events`) are matched against the rules' patterns here and handed to their
 * Lambda targets, and scheduled rules invoke their targets on a timer. Both use the real handlers
 * and the real event shapes.
 */
export class EventRuleDelivery {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly model: CloudModel,
    private readonly functions: FunctionLoader,
    private readonly where: { region: string; account: string; log: (line: string) => void },
  ) {
    for (const rule of model.eventRules) if (rule.eventPattern) assertSupportedPattern(rule.eventPattern);
  }

  /** The rules that match events by pattern, with their targets' names. */
  patternRules(): { rule: EventRuleDefinition; functionNames: string[] }[] {
    return this.model.eventRules
      .filter((rule) => rule.eventPattern !== null)
      .map((rule) => ({ rule, functionNames: rule.functionLogicalIds.map((id) => this.functions.nameOf(id)) }));
  }

  /** Scheduled rules with the interval they run at locally. */
  scheduledRules(intervalOverrideMs: number | null): { rule: EventRuleDefinition; everyMs: number | null; functionNames: string[] }[] {
    return this.model.eventRules
      .filter((rule) => rule.scheduleExpression !== null)
      .map((rule) => ({
        rule,
        everyMs: intervalOverrideMs ?? rateMillis(rule.scheduleExpression as string),
        functionNames: rule.functionLogicalIds.map((id) => this.functions.nameOf(id)),
      }));
  }

  /** Completes an event the way EventBridge stamps it (id, time, account, region) when a caller left them out. */
  envelope(event: Partial<BusEvent> & Pick<BusEvent, 'source' | 'detail-type' | 'detail'>): BusEvent {
    return {
      version: event.version ?? '0',
      id: event.id ?? randomUUID(),
      'detail-type': event['detail-type'],
      source: event.source,
      account: event.account ?? this.where.account,
      time: event.time ?? new Date().toISOString(),
      region: event.region ?? this.where.region,
      resources: event.resources ?? [],
      detail: event.detail,
    };
  }

  /** Hands each event to the targets of every enabled rule whose pattern it matches, one event at a time, in order. */
  async deliver(events: readonly BusEvent[]): Promise<RuleDeliveryReport> {
    const report: RuleDeliveryReport = { delivered: [], unmatched: 0, failed: [] };
    for (const event of events) {
      const targets = this.model.eventRules
        .filter((rule) => rule.enabled && rule.eventPattern !== null && matchesPattern(event, rule.eventPattern))
        .flatMap((rule) => rule.functionLogicalIds);
      if (targets.length === 0) {
        report.unmatched += 1;
        continue;
      }
      const reached: string[] = [];
      for (const logicalId of targets) {
        const name = this.functions.nameOf(logicalId);
        try {
          const handler = await this.functions.handler<EventHandler>(logicalId);
          await handler(event, this.contextOf(logicalId));
          reached.push(name);
        } catch (error) {
          report.failed.push({ id: event.id, function: name, error: error instanceof Error ? error.message : String(error) });
        }
      }
      report.delivered.push({ id: event.id, detailType: event['detail-type'], functions: reached });
    }
    return report;
  }

  /**
   * Starts every scheduled rule's timer (`rate(…)` only), or at `intervalOverrideMs` for tests and
   * demos. A run that is still going when the next is due is skipped, as one Lambda invocation at a
   * time is what a one-minute schedule effectively gets.
   */
  startSchedules(intervalOverrideMs: number | null): () => Promise<void> {
    for (const { rule, everyMs } of this.scheduledRules(intervalOverrideMs)) {
      if (everyMs === null || !rule.enabled) continue;
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        const event = this.envelope({
          source: 'aws.events',
          'detail-type': 'Scheduled Event',
          detail: {},
          resources: [`arn:aws:events:${this.where.region}:${this.where.account}:rule/${rule.logicalId}`],
        });
        void this.deliverTo(rule, event).finally(() => {
          running = false;
        });
      }, everyMs);
      timer.unref();
      this.timers.push(timer);
    }
    return async () => {
      for (const timer of this.timers.splice(0)) clearInterval(timer);
    };
  }

  private contextOf(logicalId: string) {
    const fn = this.model.functions.get(logicalId);
    const name = fn?.localName ?? logicalId;
    return lambdaContext({ functionName: name, functionArn: functionArn(this.where, name), timeoutMs: (fn?.timeoutSeconds ?? 3) * 1000 });
  }

  private async deliverTo(rule: EventRuleDefinition, event: BusEvent): Promise<void> {
    for (const logicalId of rule.functionLogicalIds) {
      const name = this.functions.nameOf(logicalId);
      try {
        const handler = await this.functions.handler<EventHandler>(logicalId);
        await handler(event, this.contextOf(logicalId));
      } catch (error) {
        this.where.log(`[rules] scheduled ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
