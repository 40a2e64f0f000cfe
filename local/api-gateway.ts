import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ApiMethodDefinition } from './cloud-template.js';
import type { LocalAuth } from './local-auth.js';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

interface CompiledRoute extends ApiMethodDefinition {
  pattern: RegExp;
  paramNames: string[];
  handler: ProxyHandler;
  functionName: string;
}

/** API Gateway's own payload limit; our handlers enforce their smaller one (256 KiB) themselves. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
const TEXT_MEDIA_TYPES = /^(application\/([\w.+-]*json|x-www-form-urlencoded|xml)|text\/)/i;

/** A Lambda context with the fields handlers and Powertools read. */
function lambdaContext(functionName: string, requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/**
 * Plays API Gateway's part locally: matches a request to a method of the synthesized API, runs the
 * Cognito authorizer's checks on the token, turns the request into the same Lambda proxy event,
 * invokes the real handler and writes its result back. Its own refusals use the same error shape
 * as the gateway responses the API stack configures.
 */
export class LocalApiGateway {
  private readonly routes: CompiledRoute[];

  constructor(
    methods: (ApiMethodDefinition & { handler: ProxyHandler; functionName: string })[],
    private readonly auth: LocalAuth,
  ) {
    this.routes = methods.map((method) => {
      const paramNames: string[] = [];
      const source = method.resource
        .split('/')
        .map((segment) => {
          const param = /^\{(\w+)\+?\}$/.exec(segment);
          if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          paramNames.push(param[1]);
          return segment.endsWith('+}') ? '(.+)' : '([^/]+)';
        })
        .join('/');
      return { ...method, pattern: new RegExp(`^${source}$`), paramNames };
    });
  }

  /** The methods served, for the start-up listing. */
  listRoutes(): ApiMethodDefinition[] {
    return this.routes;
  }

  async handle(request: IncomingMessage, response: ServerResponse, body: Buffer, url: URL): Promise<number> {
    const send = (status: number, payload: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(payload);
      return status;
    };
    if (body.length > GATEWAY_MAX_BODY_BYTES) return send(413, errorBody('payload_too_large', 'the body is larger than 10 MB'));

    const candidates = this.routes.filter((route) => route.pattern.test(url.pathname));
    const route = candidates.find((candidate) => candidate.method === request.method);
    if (!route) {
      // API Gateway answers both an unknown path and an unknown method with MISSING_AUTHENTICATION_TOKEN, mapped to 404.
      return send(404, errorBody('not_found', `no route ${request.method} ${url.pathname}`));
    }

    let claims: Record<string, string> | undefined;
    if (route.authorization === 'COGNITO_USER_POOLS') {
      const header = request.headers.authorization ?? '';
      const token = header.replace(/^Bearer\s+/i, '').trim();
      claims = token ? ((await this.auth.verify(token)) ?? undefined) : undefined;
      if (!claims) return send(401, errorBody('unauthorized', 'sign in: send a valid token in the Authorization header'));
    }

    const match = route.pattern.exec(url.pathname) as RegExpExecArray;
    const requestId = randomUUID();
    const event = toProxyEvent(request, url, body, route, match, claims, requestId);
    let result: APIGatewayProxyResult;
    try {
      result = await route.handler(event, lambdaContext(route.functionName, requestId, 10_000));
    } catch (error) {
      // A handler that throws past its own error mapping is a bug; API Gateway answers it with 502.
      console.error(`[api] ${route.functionName} threw:`, error);
      return send(502, errorBody('bad_gateway', 'the function failed; see the runtime log'));
    }
    const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]));
    response.writeHead(result.statusCode, headers);
    response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    return result.statusCode;
  }
}

function toProxyEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  route: CompiledRoute,
  match: RegExpExecArray,
  claims: Record<string, string> | undefined,
  requestId: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] as string;
    const value = request.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const pathParameters = Object.fromEntries(route.paramNames.map((name, i) => [name, match[i + 1] as string]));
  const contentType = request.headers['content-type'] ?? '';
  const isText = body.length === 0 || TEXT_MEDIA_TYPES.test(contentType) || contentType === '';
  const now = Date.now();
  return {
    resource: route.resource,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: url.searchParams.size > 0 ? query : null,
    multiValueQueryStringParameters: url.searchParams.size > 0 ? multiQuery : null,
    pathParameters: route.paramNames.length > 0 ? pathParameters : null,
    stageVariables: null,
    body: body.length === 0 ? null : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: claims ? { claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method ?? 'GET',
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? null,
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/local${url.pathname}`,
      stage: 'local',
      requestId,
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: route.resource,
    },
  };
}
