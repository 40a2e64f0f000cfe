/**
 * The deployment's queues, passed in by each trigger: they come from the configuration
 * (`switchboard:queues`; the demo scenario's are in lib/demo), never from the domain.
 */
export interface QueueSettings {
  name: string;
  label: string;
  /** The business-hours calendar its SLA clocks run on (an SLA policy may name another). */
  calendar: string;
  /** Where a case whose SLA is breached goes (served by supervisors); null keeps it in place. */
  escalationQueue: string | null;
}

export interface CaseSettings {
  queues: readonly QueueSettings[];
  /** Where a case goes when the caller names no queue. */
  defaultQueue: string;
}
