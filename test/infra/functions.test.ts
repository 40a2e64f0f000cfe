import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AGENT_STATE_TABLE, CASES_TABLE } from '#tables/table-design';
import { API_FUNCTION_ENTRIES, type ApiFunctionName, ROUTES } from '#api/contract';
import { REPO_ROOT } from '../../lib/repo-root.js';
import { actionsOf, functionIdOf, resourcesOfType, type Statement, statementsOf, synthesize } from './synthesize.js';

const synthesized = synthesize();
const { apiTemplate: template, statefulTemplate, emailTemplate, config } = synthesized;

const FIXED_ENV = ['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME'];
const API_FUNCTIONS = [...new Set(ROUTES.map((route) => route.function))];
const entryOf = (name: ApiFunctionName) => API_FUNCTION_ENTRIES[name];
const functionOf = (name: ApiFunctionName) => template.toJSON().Resources[functionIdOf(template, entryOf(name))];

/** Which table a policy resource (an import of the stateful stack's table ARN) points at. */
const TABLE_MARKERS = { cases: 'CasesTable', agentState: 'AgentStateTable' } as const;
const mentions = (statement: Statement, marker: string) => JSON.stringify(statement.Resource).includes(marker);
const dynamoStatements = (name: ApiFunctionName) =>
  statementsOf(template, functionIdOf(template, entryOf(name))).filter((statement) =>
    actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
  );

const READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'];
const WRITE_ACTIONS = ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

describe('every API function', () => {
  it.each(API_FUNCTIONS)('%s runs Node.js 22 or newer on arm64 with active tracing', (name) => {
    // Act
    const fn = functionOf(name);

    // Assess
    const major = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1]);
    expect(major).toBeGreaterThanOrEqual(22);
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it.each(API_FUNCTIONS)('%s logs to its own log group with the configured retention', (name) => {
    // Act
    const logGroupId = functionOf(name).Properties.LoggingConfig.LogGroup.Ref;
    const logGroup = template.toJSON().Resources[logGroupId];

    // Assess
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(config.logRetentionDays);
  });

  it.each(API_FUNCTIONS)('%s may write only to its own log group, through no managed policy', (name) => {
    // Prepare
    const fn = functionOf(name);
    const role = template.toJSON().Resources[fn.Properties.Role['Fn::GetAtt'][0]];

    // Act
    const logStatements = statementsOf(template, functionIdOf(template, entryOf(name))).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('logs:')),
    );

    // Assess
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(logStatements).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] } }),
    ]);
  });
});

describe('environment variables', () => {
  const QUEUES = ['SWITCHBOARD_QUEUES', 'SWITCHBOARD_DEFAULT_QUEUE'];
  // The functions that serve a case decide who may see it from the staff's queues.
  const CASE_ACCESS = ['AGENT_STATE_TABLE_NAME', 'SWITCHBOARD_AGENT_CASE_ACCESS'];
  const expectedEnv: Record<ApiFunctionName, string[]> = {
    health: [],
    openapi: [],
    cases: ['CASES_TABLE_NAME', 'CASE_MERGE_QUEUE_URL', ...QUEUES, ...CASE_ACCESS],
    email: [
      'CASES_TABLE_NAME',
      'MAIL_BUCKET_NAME',
      'MAIL_DOMAIN',
      'MAIL_INBOUND_ADDRESSES',
      'MAIL_DEFAULT_QUEUE',
      'REOPEN_WINDOW_DAYS',
      'MAX_ATTACHMENT_BYTES',
      'MAIL_MAX_ACKNOWLEDGEMENTS_PER_MINUTE',
      ...QUEUES,
      ...CASE_ACCESS,
    ],
    customers: ['CASES_TABLE_NAME'],
    agents: ['AGENT_STATE_TABLE_NAME', ...QUEUES],
    routing: [
      'AGENT_STATE_TABLE_NAME',
      'CASES_TABLE_NAME',
      'ROUTING_OFFER_TIMEOUT_SECONDS',
      'ROUTING_RECHECK_SECONDS',
      'ROUTING_STEPS',
      'ROUTING_CHANNEL_WEIGHTS',
      ...QUEUES,
      'SWITCHBOARD_AGENT_CASE_ACCESS',
    ],
    sla: ['CASES_TABLE_NAME', 'SLA_TIME_SCALE', ...QUEUES, ...CASE_ACCESS],
    callbacks: ['CASES_TABLE_NAME'],
  };

  it.each(API_FUNCTIONS)('%s has exactly the variables its bindings set', (name) => {
    // Act
    const variables = Object.keys(functionOf(name).Properties.Environment.Variables);

    // Assess
    // Every API function may page a list, so every one gets the cursor signing key.
    expect(variables.sort()).toEqual([...FIXED_ENV, 'CURSOR_SIGNING_KEY', ...expectedEnv[name]].sort());
  });

  it('points table variables at the right table', () => {
    expect(JSON.stringify(functionOf('cases').Properties.Environment.Variables.CASES_TABLE_NAME)).toContain(TABLE_MARKERS.cases);
    expect(JSON.stringify(functionOf('agents').Properties.Environment.Variables.AGENT_STATE_TABLE_NAME)).toContain(
      TABLE_MARKERS.agentState,
    );
  });

  it('tells the functions that serve cases which cases agents see: queues by default, all when configured', () => {
    const caseFunctions = ['cases', 'email', 'routing', 'sla'] as const;
    for (const name of caseFunctions)
      expect(functionOf(name).Properties.Environment.Variables.SWITCHBOARD_AGENT_CASE_ACCESS).toBe('queues');

    const everyone = synthesize({ context: { 'switchboard:agentCaseAccess': 'all' } }).apiTemplate;
    for (const name of caseFunctions) {
      const fn = everyone.toJSON().Resources[functionIdOf(everyone, entryOf(name))];
      expect(fn.Properties.Environment.Variables.SWITCHBOARD_AGENT_CASE_ACCESS).toBe('all');
    }
  });

  const origins = ['https://desk.example.com', 'https://admin.example.com'];
  const { apiTemplate } = synthesize({ context: { 'switchboard:corsAllowOrigins': origins } });

  it('adds CORS_ALLOW_ORIGINS to every API function when origins are configured', () => {
    for (const name of API_FUNCTIONS) {
      const fn = apiTemplate.toJSON().Resources[functionIdOf(apiTemplate, entryOf(name))];
      expect(fn.Properties.Environment.Variables.CORS_ALLOW_ORIGINS, name).toBe(origins.join(','));
    }
  });
});

describe('least privilege', () => {
  it.each(['health', 'openapi'] as const)('%s has no DynamoDB permission at all', (name) => {
    expect(dynamoStatements(name)).toEqual([]);
  });

  it('customers may only read the cases table and its indexes, and nothing of the agent-state table', () => {
    // Act
    const statements = dynamoStatements('customers');

    // Assess
    const actions = statements.flatMap(actionsOf);
    expect(new Set(actions)).toEqual(new Set(READ_ACTIONS));
    expect(statements.every((statement) => mentions(statement, TABLE_MARKERS.cases))).toBe(true);
    expect(statements.some((statement) => mentions(statement, TABLE_MARKERS.agentState))).toBe(false);
  });

  it('cases may read and write the cases table, and only read the agent-state table (the staff’s queues)', () => {
    // Act
    const statements = dynamoStatements('cases');
    const onTable = (marker: string) => statements.filter((statement) => mentions(statement, marker)).flatMap(actionsOf);

    // Assess
    expect(new Set(onTable(TABLE_MARKERS.cases))).toEqual(new Set([...READ_ACTIONS, ...WRITE_ACTIONS]));
    expect(new Set(onTable(TABLE_MARKERS.agentState))).toEqual(new Set(READ_ACTIONS));
  });

  it('agents may read and write the agent-state table (profiles and presence), and nothing of the cases table', () => {
    // Act
    const statements = dynamoStatements('agents');

    // Assess
    expect(new Set(statements.flatMap(actionsOf))).toEqual(new Set([...READ_ACTIONS, ...WRITE_ACTIONS]));
    expect(statements.every((statement) => mentions(statement, TABLE_MARKERS.agentState))).toBe(true);
    expect(statements.some((statement) => mentions(statement, TABLE_MARKERS.cases))).toBe(false);
  });

  it.each([
    ['cases', CASES_TABLE],
    ['customers', CASES_TABLE],
    ['agents', AGENT_STATE_TABLE],
  ] as const)('%s is granted the table and each of its indexes by name, with no wildcard', (name, design) => {
    // Act
    const marker = design === CASES_TABLE ? TABLE_MARKERS.cases : TABLE_MARKERS.agentState;
    const resources = dynamoStatements(name)
      .filter((statement) => mentions(statement, marker))
      .flatMap((statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]));
    const text = JSON.stringify(resources);

    // Assess
    expect(resources).toHaveLength(1 + design.indexes.length);
    for (const index of design.indexes) expect(text).toContain(`"/index/${index.name}"`);
    expect(text).not.toContain('*');
  });
});

describe('mail access of the API functions', () => {
  const statementsFor = (t: Template, name: ApiFunctionName, service: string) =>
    statementsOf(t, functionIdOf(t, entryOf(name))).filter((statement) =>
      actionsOf(statement).some((action) => action === '*' || action.startsWith(`${service}:`)),
    );

  it.each(API_FUNCTIONS.filter((name) => name !== 'email'))('%s may neither touch the mail bucket nor send mail', (name) => {
    expect(statementsFor(template, name, 's3')).toEqual([]);
    expect(statementsFor(template, name, 'ses')).toEqual([]);
  });

  it('email may only read received mail (the raw route), never write to the bucket or send mail', () => {
    const s3 = statementsFor(template, 'email', 's3');

    expect(s3.length).toBeGreaterThan(0);
    for (const statement of s3) {
      expect(actionsOf(statement).every((action) => /^s3:(Get|List)/.test(action))).toBe(true);
      expect(JSON.stringify(statement.Resource)).toContain('inbound/*');
    }
    expect(statementsFor(template, 'email', 'ses')).toEqual([]);
  });

  it('email (agents’ replies, raw mail) gets the mail settings from the configuration and the mail bucket, no sender binding', () => {
    // Act
    const variables = functionOf('email').Properties.Environment.Variables;

    // Assess
    expect(variables).toMatchObject({
      MAIL_DOMAIN: config.mailDomain,
      MAIL_DEFAULT_QUEUE: 'other',
      REOPEN_WINDOW_DAYS: String(config.reopenWindowDays),
      MAX_ATTACHMENT_BYTES: String(config.maxAttachmentBytes),
      MAIL_MAX_ACKNOWLEDGEMENTS_PER_MINUTE: '60',
    });
    expect(JSON.parse(variables.MAIL_INBOUND_ADDRESSES)).toEqual(config.inboundAddresses);
    expect(variables).toHaveProperty('MAIL_BUCKET_NAME');
    expect(variables).not.toHaveProperty('SES_CONFIGURATION_SET');
  });

  describe('with a mail domain and an SES configuration set', () => {
    const { apiTemplate: withSet } = synthesize({
      context: { 'switchboard:mailDomain': 'help.example.com', 'switchboard:sesConfigurationSet': 'switchboard-tracking' },
    });
    const variables = withSet.toJSON().Resources[functionIdOf(withSet, entryOf('email'))].Properties.Environment.Variables;

    it('email still may not send mail: the outbox sends what it queues', () => {
      expect(statementsFor(withSet, 'email', 'ses')).toEqual([]);
      expect(variables).not.toHaveProperty('SES_CONFIGURATION_SET');
    });

    it('email follows the configured mail domain', () => {
      expect(variables.MAIL_DOMAIN).toBe('help.example.com');
    });
  });
});

describe('template metadata for the local runtime', () => {
  const functionsOf = (t: Template) => Object.entries(resourcesOfType(t, 'AWS::Lambda::Function'));
  const all = [...functionsOf(statefulTemplate), ...functionsOf(template), ...functionsOf(emailTemplate)];
  /** CDK's own functions behind custom resources (S3 bucket notifications), which the local runtime skips. */
  const CDK_HANDLER_IDS = ['BucketNotificationsHandler050a0587b7544547bf325f094a3db834'];
  const isCdkHandler = ([id]: (typeof all)[number]) => CDK_HANDLER_IDS.some((prefix) => id.startsWith(prefix));
  const ours = all.filter((fn) => !isCdkHandler(fn));

  it('covers every function of the contract, the merge worker, the email intake, the outbox, its requeue schedule, the SES delivery events recorder and the quarantine release', () => {
    const entries = ours.map(([, fn]) => fn.Metadata?.['switchboard:entry']);
    expect(entries.sort()).toEqual(
      [
        ...API_FUNCTIONS.map(entryOf),
        'functions/cases/handlers/merge-worker.ts',
        'functions/email/handlers/email-intake.ts',
        'functions/email/handlers/send-outbound.ts',
        'functions/email/handlers/ses-delivery-events.ts',
        'functions/email/handlers/requeue-outbound.ts',
        'functions/email/handlers/release-quarantine.ts',
      ].sort(),
    );
  });

  it("has no other function than CDK's custom-resource handlers, whose code is inline", () => {
    const helpers = all.filter(isCdkHandler);
    expect(helpers).toHaveLength(1);
    for (const [id, fn] of helpers) {
      expect(fn.Properties!.Code.ZipFile, id).toEqual(expect.any(String));
      expect(fn.Metadata?.['switchboard:entry'], id).toBeUndefined();
    }
  });

  it.each(ours.map(([id, fn]) => [id, fn] as const))('%s names an entry file that exists and exports its handler', (_id, fn) => {
    // Prepare
    const entry = fn.Metadata?.['switchboard:entry'];
    const handler = fn.Metadata?.['switchboard:handler'];

    // Assess
    expect(typeof entry).toBe('string');
    expect(isAbsolute(entry as string)).toBe(false);
    expect(entry).not.toContain('\\');
    expect(existsSync(join(REPO_ROOT, entry as string))).toBe(true);
    expect(handler).toBe('handler');
    expect(readFileSync(join(REPO_ROOT, entry as string), 'utf8')).toMatch(/export (const|async function|function) handler\b/);
  });
});
