import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_FUNCTION_ENTRIES, ROUTES, routeKey } from '#api/contract';
import { apiGatewaySchema } from '../../lib/stacks/api-stack.js';
import { functionIdOf, resourcesOfType, synthesize } from './synthesize.js';

const { apiTemplate: template, config } = synthesize();

/** The full path of an API Gateway resource, rebuilt from its PathPart and ParentId chain. */
function pathOf(template: Template, resourceId: unknown): string {
  const resources = template.toJSON().Resources;
  const parts: string[] = [];
  let current = resourceId as { Ref?: string } | { 'Fn::GetAtt': [string, string] };
  while ('Ref' in current && current.Ref && resources[current.Ref]?.Type === 'AWS::ApiGateway::Resource') {
    const resource = resources[current.Ref];
    parts.unshift(resource.Properties.PathPart);
    current = resource.Properties.ParentId;
  }
  return `/${parts.join('/')}`;
}

function methodFor(route: (typeof ROUTES)[number]) {
  const methods = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method')).filter(
    (method) => method.Properties!.HttpMethod === route.method && pathOf(template, method.Properties!.ResourceId) === route.path,
  );
  expect(methods, routeKey(route)).toHaveLength(1);
  return methods[0]!;
}

describe('the routes', () => {
  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s exists with the authorization its access implies',
    (_key, route) => {
      // Act
      const method = methodFor(route);

      // Assess
      if (route.access === 'public') {
        expect(method.Properties!.AuthorizationType).toBe('NONE');
        expect(method.Properties!.AuthorizerId).toBeUndefined();
      } else {
        expect(method.Properties!.AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(method.Properties!.AuthorizerId).toEqual({ Ref: expect.any(String) });
      }
    },
  );

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s is served by its function through a Lambda proxy',
    (_key, route) => {
      // Prepare
      const functionId = functionIdOf(template, API_FUNCTION_ENTRIES[route.function]);

      // Act
      const integration = methodFor(route).Properties!.Integration;

      // Assess
      expect(integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(integration.Uri)).toContain(JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] }));
    },
  );

  it.each(ROUTES.map((route) => [routeKey(route), route] as const))('%s carries its route key as metadata', (key, route) => {
    expect(methodFor(route).Metadata?.['switchboard:route']).toBe(key);
  });

  it('has no method that the contract does not list (besides CORS preflight)', () => {
    // Act
    const methods = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method')).filter(
      (method) => method.Properties!.HttpMethod !== 'OPTIONS',
    );

    // Assess
    expect(methods).toHaveLength(ROUTES.length);
  });

  it('uses one Cognito authorizer on the user pool', () => {
    template.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [Match.anyValue()],
    });
  });
});

describe('request validation', () => {
  const validatorIds = Object.keys(resourcesOfType(template, 'AWS::ApiGateway::RequestValidator'));

  it('has one validator that checks bodies and parameters', () => {
    expect(validatorIds).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
  });

  it.each(ROUTES.filter((route) => route.body).map((route) => [routeKey(route), route] as const))(
    '%s validates its body against the model generated from the contract',
    (_key, route) => {
      // Prepare
      const models = template.toJSON().Resources;
      const expected = JSON.parse(JSON.stringify(apiGatewaySchema(route.body!)));
      delete expected.schema;

      // Act
      const method = methodFor(route);
      const model = models[method.Properties!.RequestModels['application/json'].Ref];

      // Assess
      expect(method.Properties!.RequestValidatorId).toEqual({ Ref: validatorIds[0] });
      expect(model.Properties.ContentType).toBe('application/json');
      expect(model.Properties.Schema).toEqual({ $schema: 'http://json-schema.org/draft-04/schema#', ...expected });
      expect(model.Properties.Schema.additionalProperties).toBe(false);
    },
  );

  it.each(ROUTES.filter((route) => route.query).map((route) => [routeKey(route), route] as const))(
    '%s declares its query parameters without requiring them',
    (_key, route) => {
      // Act
      const parameters = methodFor(route).Properties!.RequestParameters as Record<string, boolean>;

      // Assess
      const query = Object.entries(parameters).filter(([name]) => name.startsWith('method.request.querystring.'));
      expect(query.length).toBeGreaterThan(0);
      expect(query.every(([, required]) => required === false)).toBe(true);
    },
  );

  it('documents If-Match on PATCH /cases/{id} as optional', () => {
    const route = ROUTES.find((candidate) => routeKey(candidate) === 'PATCH /cases/{id}')!;
    expect(methodFor(route).Properties!.RequestParameters).toMatchObject({ 'method.request.header.If-Match': false });
  });
});

describe('gateway responses', () => {
  const responses = Object.values(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse'));
  /** What API Gateway substitutes: messageString arrives as a quoted JSON string. */
  const render = (body: string) => JSON.parse(body.replaceAll('$context.error.messageString', '"Invalid request body"'));

  it.each([
    ['UNAUTHORIZED', '401', 'unauthorized'],
    ['ACCESS_DENIED', '403', 'forbidden'],
    ['MISSING_AUTHENTICATION_TOKEN', '404', 'not_found'],
    ['BAD_REQUEST_BODY', '400', 'validation_failed'],
    ['BAD_REQUEST_PARAMETERS', '400', 'validation_failed'],
    ['REQUEST_TOO_LARGE', '413', 'payload_too_large'],
    ['UNSUPPORTED_MEDIA_TYPE', '415', 'unsupported_media_type'],
    ['THROTTLED', '429', 'throttled'],
    ['QUOTA_EXCEEDED', '429', expect.any(String)],
    // The defaults keep API Gateway's own status (403, 404, 504, ...), so they set none.
    ['DEFAULT_4XX', undefined, 'request_refused'],
    ['DEFAULT_5XX', undefined, 'internal_error'],
  ])('%s answers %s with code %s in our JSON error shape', (type, status, code) => {
    // Act
    const response = responses.find((candidate) => candidate.Properties!.ResponseType === type);

    // Assess
    expect(response, type).toBeDefined();
    expect(response!.Properties!.StatusCode).toEqual(status);
    expect(response!.Properties!.ResponseParameters).toMatchObject({ 'gatewayresponse.header.Content-Type': "'application/json'" });
    expect(render(response!.Properties!.ResponseTemplates['application/json'])).toEqual({
      error: { code, message: expect.any(String) },
    });
  });

  it('never puts the unescaped validationErrorString into a JSON template', () => {
    const templates = responses.map((response) => response.Properties!.ResponseTemplates['application/json'] as string);
    expect(templates.filter((body) => body.includes('validationErrorString'))).toEqual([]);
  });
});

describe('the stage', () => {
  const stage = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Stage'))[0]!;

  it('is throttled as configured, logs INFO without bodies, and is traced', () => {
    expect(stage.Properties).toMatchObject({
      StageName: config.stage,
      TracingEnabled: true,
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'INFO',
          DataTraceEnabled: false,
          ThrottlingRateLimit: config.apiThrottleRateLimit,
          ThrottlingBurstLimit: config.apiThrottleBurstLimit,
        },
      ],
    });
  });

  it('writes JSON access logs to a log group with the configured retention', () => {
    // Act
    const destination = stage.Properties!.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    const logGroup = template.toJSON().Resources[destination];

    // Assess
    expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
    expect(logGroup.Properties.RetentionInDays).toBe(config.logRetentionDays);
    expect(JSON.parse(stage.Properties!.AccessLogSetting.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });

  it('has the account-level CloudWatch role API Gateway logs through', () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.hasResourceProperties('AWS::ApiGateway::Account', { CloudWatchRoleArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
  });
});

describe('CORS when no origin is configured', () => {
  it('has no preflight methods', () => {
    expect(config.corsAllowOrigins).toEqual([]);
    const options = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Method')).filter(
      (method) => method.Properties!.HttpMethod === 'OPTIONS',
    );
    expect(options).toHaveLength(0);
  });
});

describe('CORS with one configured origin', () => {
  const origin = 'https://desk.example.com';
  const { apiTemplate: corsTemplate } = synthesize({ context: { 'switchboard:corsAllowOrigins': [origin] } });

  it('answers preflight on every resource that has a route', () => {
    // Prepare
    const paths = new Set(ROUTES.map((route) => route.path));

    // Act
    const preflightPaths = Object.values(resourcesOfType(corsTemplate, 'AWS::ApiGateway::Method'))
      .filter((method) => method.Properties!.HttpMethod === 'OPTIONS')
      .map((method) => pathOf(corsTemplate, method.Properties!.ResourceId));

    // Assess
    for (const path of paths) expect(preflightPaths).toContain(path);
  });

  it('gives gateway errors the allowed origin so the browser can read them', () => {
    const responses = Object.values(resourcesOfType(corsTemplate, 'AWS::ApiGateway::GatewayResponse'));
    for (const response of responses) {
      expect(response.Properties!.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': `'${origin}'`,
      });
    }
  });
});

describe('outputs', () => {
  it('publishes the API URL, the user pool id and the app client id', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(['ApiUrl', 'UserPoolClientId', 'UserPoolId']);
  });
});

describe('the cursor signing key', () => {
  it('is a secret the stack generates, handed to every API function by reference, never as text', () => {
    const secrets = Object.entries(resourcesOfType(template, 'AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0]!;
    expect(secret.Properties!.GenerateSecretString).toMatchObject({ PasswordLength: 64 });

    for (const entry of Object.values(API_FUNCTION_ENTRIES)) {
      const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionIdOf(template, entry)]!;
      const value = fn.Properties!.Environment.Variables.CURSOR_SIGNING_KEY;
      expect(JSON.stringify(value), entry).toContain(JSON.stringify({ Ref: secretId }));
      expect(JSON.stringify(value), entry).toContain('{{resolve:secretsmanager:');
    }
  });
});

describe('the merge worker', () => {
  const resources = template.toJSON().Resources;
  const workerId = functionIdOf(template, 'functions/cases/handlers/merge-worker.ts');
  const worker = resources[workerId];
  const queueRef = worker.Properties.Environment.Variables.CASE_MERGE_QUEUE_URL;

  it('consumes the merge queue one job at a time, reporting failures per message', () => {
    const mappings = Object.values(resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => mapping.Properties!.FunctionName.Ref === workerId,
    );

    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties).toMatchObject({ BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(mappings[0]!.Properties!.EventSourceArn).toEqual({ 'Fn::GetAtt': [queueRef.Ref, 'Arn'] });
  });

  it('has a dead-letter queue, and the cases API function hands jobs to the same queue', () => {
    const cases = resources[functionIdOf(template, API_FUNCTION_ENTRIES.cases)];

    expect(resources[queueRef.Ref].Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    expect(cases.Properties.Environment.Variables.CASE_MERGE_QUEUE_URL).toEqual(queueRef);
  });
});
