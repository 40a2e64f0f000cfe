import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { SEES_ALL } from '#cases';
import { EMAIL_ROUTES, emailRoutes } from '#email/api/routes';
import { getRawMessage } from '#email/use-cases/get-raw-message';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { NotFoundError } from '#platform/domain/errors';
import { InMemoryMailObjects } from '../../support/memory/in-memory-mail-store.js';
import { aCase, aMessage, memoryDeps } from '../../support/builders.js';

const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

/** Bytes no charset decodes cleanly: CRLF, an 8-bit windows-1250 header byte, a NUL. */
const RAW = new Uint8Array([...new TextEncoder().encode('Subject: Zam'), 0xf3, 0x77, 0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0xff]);

function withStoredCase() {
  const base = memoryDeps();
  const objects = new InMemoryMailObjects();
  const stored = aCase({ id: 'case-1' });
  base.db.cases.set(stored.id, stored);
  base.db.messages.set(stored.id, [
    aMessage({ id: 'm1', caseId: 'case-1', rawKey: 'inbound/m1' }),
    aMessage({ id: 'm2', caseId: 'case-1', direction: 'outbound', rawKey: null }),
  ]);
  objects.objects.set('inbound/m1', { content: RAW, contentType: 'message/rfc822' });
  return { deps: { ...base, objects } };
}

function event(messageId: string): APIGatewayProxyEvent {
  return {
    resource: '/cases/{id}/messages/{messageId}/raw',
    path: `/cases/case-1/messages/${messageId}/raw`,
    httpMethod: 'GET',
    headers: { Accept: 'message/rfc822' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { id: 'case-1', messageId },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { authorizer: { claims: { 'cognito:username': 'anna.nowak', 'cognito:groups': 'agents' } } },
  } as unknown as APIGatewayProxyEvent;
}

describe('GET /cases/{id}/messages/{messageId}/raw', () => {
  it('answers the exact bytes received, as message/rfc822, base64 for API Gateway to decode', async () => {
    const { deps } = withStoredCase();
    const handler = createApiHandler('email', EMAIL_ROUTES, [
      implement(emailRoutes.reply, async () => {
        throw new Error('not called');
      }),
      implement(emailRoutes.rawMessage, async ({ params }) => ({
        body: await getRawMessage(deps, { caseId: params.id, messageId: params.messageId, viewer: SEES_ALL }),
      })),
    ]);

    const response = await handler(event('m1'), context);

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toBe('message/rfc822');
    expect(response.isBase64Encoded).toBe(true);
    expect(new Uint8Array(Buffer.from(response.body, 'base64'))).toEqual(RAW);
  });

  it('answers a message without a raw copy (mail we sent) and an unknown message as not found', async () => {
    const { deps } = withStoredCase();

    await expect(getRawMessage(deps, { caseId: 'case-1', messageId: 'm2', viewer: SEES_ALL })).rejects.toThrow(NotFoundError);
    await expect(getRawMessage(deps, { caseId: 'case-1', messageId: 'nope', viewer: SEES_ALL })).rejects.toThrow(NotFoundError);
    await expect(getRawMessage(deps, { caseId: 'no-such-case', messageId: 'm1', viewer: SEES_ALL })).rejects.toThrow(NotFoundError);
  });
});
