import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, App, Aspects, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig, type SwitchboardConfig } from './config.js';
import { NotifyEveryAlarm } from './constructs/alarm-topic.js';
import { REPO_ROOT } from './repo-root.js';
import { ApiStack } from './stacks/api-stack.js';
import { EmailStack } from './stacks/email-stack.js';
import { RoutingStack } from './stacks/routing-stack.js';
import { SlaStack } from './stacks/sla-stack.js';
import { TelephonyStack } from './stacks/telephony-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';

export interface BuildAppProps {
  /** Skip esbuild (context `aws:cdk:bundling-stacks` = []): templates are complete, assets are placeholders. */
  skipBundling?: boolean;
  /** Where the cloud assembly goes; defaults to the CLI's choice or a temporary directory. */
  outdir?: string;
  /** Context that wins over cdk.json and the command line, e.g. `{ 'switchboard:stage': 'test' }`. */
  context?: Record<string, unknown>;
  /**
   * Register cdk-nag's AwsSolutions checks, which fail synthesis on any unacknowledged finding
   * (default true). A test that wants the findings as data turns this off and runs the pack itself.
   */
  nag?: boolean;
}

export interface SwitchboardApp {
  app: App;
  config: SwitchboardConfig;
  stateful: StatefulStack;
  api: ApiStack;
  email: EmailStack;
  routing: RoutingStack;
  sla: SlaStack;
  /** Present only with a Connect instance (`switchboard:connectInstanceArn`). */
  telephony: TelephonyStack | null;
}

/**
 * Builds the whole CDK app. `bin/app.ts` calls it under the CDK CLI; tests and the local runtime call
 * it in-process, where cdk.json is not read by anyone else, so its context (settings and feature
 * flags) is loaded here as the lowest-precedence layer: in-process and CLI synthesis agree.
 */
export function buildApp(props: BuildAppProps = {}): SwitchboardApp {
  const app = new App({
    outdir: props.outdir,
    context: cdkJsonContext(),
    postCliContext: {
      ...props.context,
      ...(props.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  const config = readConfig(app.node);
  const prefix = `Switchboard-${config.stage}`;

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    config,
    description: `Switchboard ${config.stage}: tables, mail bucket, mail queues, event bus, user pool (retained)`,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    config,
    description: `Switchboard ${config.stage}: REST API and its functions`,
    casesTable: stateful.casesTable,
    agentStateTable: stateful.agentStateTable,
    userPool: stateful.userPool,
    agentDesktopClient: stateful.agentDesktopClient,
    mailBucket: stateful.mailBucket,
  });
  const email = new EmailStack(app, `${prefix}-Email`, {
    config,
    description: `Switchboard ${config.stage}: email-to-case (SES receipt rule, intake function) and the outbox (sending case mail)`,
    casesTable: stateful.casesTable,
    mailBucket: stateful.mailBucket,
    intakeQueue: stateful.emailIntake.queue,
    intakeDeadLetterQueue: stateful.emailIntake.deadLetterQueue,
    outboxFailureQueue: stateful.outboxFailures,
    eventBus: stateful.eventBus,
  });

  const routing = new RoutingStack(app, `${prefix}-Routing`, {
    config,
    description: `Switchboard ${config.stage}: omni-channel routing (work items, router, relay, backlog drain, Connect agent events)`,
    casesTable: stateful.casesTable,
    agentStateTable: stateful.agentStateTable,
    routingQueues: stateful.routingQueues,
    routingFailureQueue: stateful.routingFailures,
    eventBus: stateful.eventBus,
  });

  const sla = new SlaStack(app, `${prefix}-Sla`, {
    config,
    description: `Switchboard ${config.stage}: SLA clocks (tracker, timer state machine, evaluator, relay) and escalation`,
    casesTable: stateful.casesTable,
    agentStateTable: stateful.agentStateTable,
    slaFailureQueue: stateful.slaFailures,
    eventBus: stateful.eventBus,
  });

  let telephony: TelephonyStack | null = null;
  if (config.connectInstanceArn && config.connectCallbackFlowId && config.connectQueueIds) {
    telephony = new TelephonyStack(app, `${prefix}-Telephony`, {
      config,
      description: `Switchboard ${config.stage}: Amazon Connect (contact-flow functions, agent events, contact events, missed-call callbacks)`,
      connect: { instanceArn: config.connectInstanceArn, callbackFlowId: config.connectCallbackFlowId, queueIds: config.connectQueueIds },
      casesTable: stateful.casesTable,
      agentStateTable: stateful.agentStateTable,
      agentEventFailureQueue: stateful.routingFailures,
    });
  } else {
    Annotations.of(app).addInfo(
      'Amazon Connect: switchboard:connectInstanceArn is not set, so the telephony stack (contact-flow functions, contact events, callbacks) is left out. Set it (with switchboard:connectCallbackFlowId and switchboard:connectQueueIds) to deploy it; see docs/connect/setup.md.',
    );
  }

  // Every alarm of every stack notifies the stateful stack's topic, including alarms added later.
  Aspects.of(app).add(new NotifyEveryAlarm(stateful.alarmTopic.topic));
  Tags.of(app).add('app', 'switchboard');
  Tags.of(app).add('stage', config.stage);
  // cdk-nag 3 is a CDK policy-validation plugin (no longer an Aspect): any unacknowledged finding,
  // error or warning, stops synthesis with a report.
  if (props.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

  return { app, config, stateful, api, email, routing, sla, telephony };
}

function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}
