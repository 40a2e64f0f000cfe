import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEMO_QUEUES } from '../../lib/demo/scenario.js';
import { LOCAL_CONNECT_CONTEXT } from '../../local/synthesize.js';
import { functionIdOf, resourcesOfType, synthesize } from './synthesize.js';

/** A fifth queue (sixth with escalations): a deployment that needs no code change for it. */
const RETURNS = { name: 'returns', label: 'Returns', calendar: 'warsaw-office', escalationQueue: 'escalations' };
const QUEUES = [...DEMO_QUEUES, RETURNS];

/** Lambda allows 4 KB of environment per function, names and values together. */
const LAMBDA_ENVIRONMENT_LIMIT = 4096;
/** What a reference (a table name, a queue URL) takes once resolved, at most: a queue URL of a long stack name. */
const RESOLVED_REFERENCE_BYTES = 160;

const built = synthesize({
  context: {
    // As `-c switchboard:queues='[…]'` gives it: a JSON string.
    'switchboard:queues': JSON.stringify(QUEUES),
    'switchboard:inboundAddresses': { support: 'customers', stores: 'stores', partners: 'marketplace', returns: 'returns' },
    ...LOCAL_CONNECT_CONTEXT,
    'switchboard:connectQueueIds': Object.fromEntries(QUEUES.map((queue) => [queue.name, `queue-${queue.name}`])),
  },
});
const stacks = [built.stateful, built.api, built.email, built.routing, built.sla, built.telephony!];
const templates = stacks.map((stack) => Template.fromStack(stack));
const routingTemplate = Template.fromStack(built.routing);

function environmentOf(template: Template, entry: string): Record<string, unknown> {
  return template.toJSON().Resources[functionIdOf(template, entry)].Properties.Environment.Variables;
}

describe('a deployment with a queue the demo does not have', () => {
  it('has a routing queue, with its dead-letter queue, for every configured queue', () => {
    expect(Object.keys(built.stateful.routingQueues).sort()).toEqual(QUEUES.map((queue) => queue.name).sort());
    const queueIds = Object.keys(resourcesOfType(built.statefulTemplate, 'AWS::SQS::Queue'));
    expect(queueIds.filter((id) => id.startsWith('RoutingQueueReturns'))).toHaveLength(2);
  });

  it('lets the router consume and send to the new routing queue', () => {
    const environment = environmentOf(routingTemplate, 'functions/routing/handlers/route-work.ts');
    const mappings = Object.values(resourcesOfType(routingTemplate, 'AWS::Lambda::EventSourceMapping'));

    expect(Object.keys(environment)).toContain('ROUTING_QUEUE_URL_RETURNS');
    expect(JSON.stringify(mappings)).toContain('RoutingQueueReturns');
  });

  it('tells every function that knows the queues about it', () => {
    const entries = [
      [built.apiTemplate, 'functions/cases/api/handler.ts'],
      [built.apiTemplate, 'functions/routing/api/handler.ts'],
      [built.emailTemplate, 'functions/email/handlers/email-intake.ts'],
      [Template.fromStack(built.sla), 'functions/sla/handlers/track-case-sla.ts'],
      [Template.fromStack(built.telephony!), 'functions/telephony/handlers/open-or-link-case.ts'],
    ] as const;

    for (const [template, entry] of entries) {
      const queues = JSON.parse(environmentOf(template, entry).SWITCHBOARD_QUEUES as string) as { name: string }[];
      expect(
        queues.map((queue) => queue.name),
        entry,
      ).toContain('returns');
    }
    expect(
      JSON.parse(environmentOf(built.emailTemplate, 'functions/email/handlers/email-intake.ts').MAIL_INBOUND_ADDRESSES as string),
    ).toMatchObject({
      returns: 'returns',
    });
  });

  it('keeps every function within Lambda’s 4 KB of environment', () => {
    for (const template of templates) {
      for (const [id, fn] of Object.entries(resourcesOfType(template, 'AWS::Lambda::Function'))) {
        const variables = (fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
        const bytes = Object.entries(variables).reduce(
          (sum, [name, value]) => sum + name.length + (typeof value === 'string' ? Buffer.byteLength(value) : RESOLVED_REFERENCE_BYTES),
          0,
        );
        expect(bytes, id).toBeLessThan(LAMBDA_ENVIRONMENT_LIMIT);
      }
    }
  });
});

describe('the SLA defaults', () => {
  const slaTemplate = Template.fromStack(built.sla);
  const [writer] = Object.values(resourcesOfType(slaTemplate, 'Custom::SlaDefaults'));

  it('are written into the cases table at deployment, as one item of the configuration', () => {
    const create = JSON.stringify(writer?.Properties?.Create);

    expect(create).toContain('PutItem');
    expect(create).toContain('SLA_CONFIG');
    expect(create).toContain('sla-defaults');
    for (const policy of built.config.slaPolicies) expect(create).toContain(policy.name);
    for (const calendar of built.config.slaCalendars) expect(create).toContain(calendar.name);
  });

  it('may write only that table', () => {
    const policies = Object.entries(resourcesOfType(slaTemplate, 'AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('SlaDefaultsCustomResourcePolicy'))
      .map(([, policy]) => policy);
    const statements = policies.flatMap((policy) => policy.Properties?.PolicyDocument.Statement as { Action: unknown }[]);

    expect(statements.map((statement) => statement.Action)).toEqual(['dynamodb:PutItem']);
    expect(JSON.stringify(statements)).toContain('CasesTable');
  });
});
