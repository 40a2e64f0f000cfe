import { Stack, type StackProps } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV, routingQueueUrlVariable } from '#platform/adapters/env-variables';
import type { SwitchboardConfig } from '../config.js';
import type { IIndexedTable } from '../constructs/designed-table.js';
import { SwitchboardFunction } from '../constructs/switchboard-function.js';
import type { WorkQueue } from '../constructs/work-queue.js';
import { ROUTER_TIMEOUT, routingSettings } from '../routing.js';
import { AGENT_STATE_TABLE_ENTITIES, CASES_TABLE_ENTITIES, newImageFilter } from '#tables/entities';

export interface RoutingStackProps extends StackProps {
  config: SwitchboardConfig;
  casesTable: IIndexedTable;
  agentStateTable: IIndexedTable;
  /** One routing queue per case queue, by queue name. */
  routingQueues: Readonly<Record<string, WorkQueue>>;
  /** Where stream records that failed every retry are described. */
  routingFailureQueue: IQueue;
  eventBus: IEventBus;
}

/** Stream records of case items: every change of a case may change what its work item should be. */
export const CASE_WORK_FILTER = newImageFilter(CASES_TABLE_ENTITIES.case);
/** Stream records of work items: the relay turns them into routing messages and work events. */
export const WORK_CHANGE_FILTER = newImageFilter(AGENT_STATE_TABLE_ENTITIES.work);
/** Stream records of available agents' live states: a drain looks whether their room grew. */
export const FREED_CAPACITY_FILTER = newImageFilter(AGENT_STATE_TABLE_ENTITIES['agent-state'], { presence: { S: ['available'] } });

/** Messages per router invocation, and concurrent routers per routing queue. */
const ROUTER_BATCH_SIZE = 10;
const ROUTER_MAX_CONCURRENCY = 5;
const STREAM_BATCH_SIZE = 25;

/**
 * Omni-channel routing: the functions that turn cases into work items, place them with agents,
 * relay each change of a work item (routing messages, `work.*` events on the bus, offer timeouts),
 * and drain the backlog when an agent's capacity frees. The queues, tables and streams they use are
 * the stateful stack's; this stack holds no data. Amazon Connect's agent events, which count calls
 * against the same capacity, are read in the telephony stack: they exist only with an instance.
 */
export class RoutingStack extends Stack {
  readonly dispatchFunction: SwitchboardFunction;
  readonly routerFunction: SwitchboardFunction;
  readonly relayFunction: SwitchboardFunction;
  readonly drainFunction: SwitchboardFunction;

  constructor(scope: Construct, id: string, props: RoutingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const common = { logRetention: config.logRetentionDays };
    const onFailure = props.routingFailureQueue;

    this.dispatchFunction = new SwitchboardFunction(this, 'CaseWorkFunction', {
      ...common,
      entry: 'functions/routing/handlers/dispatch-work.ts',
      description: 'Switchboard routing: keeps each case’s work item in step with the case',
    })
      .bindTable(props.agentStateTable, ENV.agentStateTable, 'readWrite')
      .addTableStreamTrigger(props.casesTable, { filters: [CASE_WORK_FILTER], batchSize: STREAM_BATCH_SIZE, onFailure });

    this.routerFunction = new SwitchboardFunction(this, 'RouterFunction', {
      ...common,
      entry: 'functions/routing/handlers/route-work.ts',
      description: 'Switchboard routing: places work items with agents and ends unanswered offers',
      timeout: ROUTER_TIMEOUT,
    }).bindTable(props.agentStateTable, ENV.agentStateTable, 'readWrite');
    // The router sends itself delayed rechecks through the same queues it consumes.
    for (const [queue, routing] of Object.entries(props.routingQueues)) {
      this.routerFunction
        .bindQueue(routing.queue, routingQueueUrlVariable(queue), 'send')
        .addQueueTrigger(routing.queue, { batchSize: ROUTER_BATCH_SIZE, maxConcurrency: ROUTER_MAX_CONCURRENCY });
    }

    this.relayFunction = new SwitchboardFunction(this, 'WorkRelayFunction', {
      ...common,
      entry: 'functions/routing/handlers/relay-work-changes.ts',
      description: 'Switchboard routing: relays work item changes to the routing queues and the event bus',
    })
      .bindTable(props.agentStateTable, ENV.agentStateTable, 'read')
      .bindEventBus(props.eventBus, ENV.eventBus)
      .addTableStreamTrigger(props.agentStateTable, { filters: [WORK_CHANGE_FILTER], batchSize: STREAM_BATCH_SIZE, onFailure });
    for (const [queue, routing] of Object.entries(props.routingQueues))
      this.relayFunction.bindQueue(routing.queue, routingQueueUrlVariable(queue), 'send');

    this.drainFunction = new SwitchboardFunction(this, 'BacklogDrainFunction', {
      ...common,
      entry: 'functions/routing/handlers/drain-backlog.ts',
      description: 'Switchboard routing: fills an agent’s freed capacity from the backlog',
    })
      .bindTable(props.agentStateTable, ENV.agentStateTable, 'readWrite')
      .addTableStreamTrigger(props.agentStateTable, { filters: [FREED_CAPACITY_FILTER], batchSize: STREAM_BATCH_SIZE, onFailure });

    for (const fn of [this.dispatchFunction, this.routerFunction, this.relayFunction, this.drainFunction]) {
      fn.setSettings(routingSettings(config));
    }
  }
}
