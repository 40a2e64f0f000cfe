import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildMissedCallsReport, resolveReportRange } from '#telephony/domain/missed-calls-report';
import { ValidationError } from '#platform/domain/errors';
import { getMissedCallsReport } from '#telephony/use-cases/get-missed-calls-report';
import { listCallbacks } from '#telephony/use-cases/list-callbacks';
import { createApiHandler, implement } from '#platform/api/api-handler';
import { CALLBACK_ROUTES, callbackRoutes } from '#telephony/api/routes';
import { aCallback, callbackDeps } from '../../support/callback-fakes.js';

const HOUR = 3_600_000;

describe('the missed-call report', () => {
  it('reads a date as its whole UTC day and rounds instants outwards to whole hours', () => {
    expect(resolveReportRange('2026-11-23', '2026-11-23').range).toEqual({
      fromMs: Date.parse('2026-11-23T00:00:00Z'),
      toMs: Date.parse('2026-11-24T00:00:00Z'),
    });
    expect(resolveReportRange('2026-11-23T09:15:00+01:00', '2026-11-23T10:00:01Z').range).toEqual({
      fromMs: Date.parse('2026-11-23T08:00:00Z'),
      toMs: Date.parse('2026-11-23T11:00:00Z'),
    });
  });

  it('refuses a range that runs backwards or spans more than 31 days', () => {
    expect(resolveReportRange('2026-11-23', '2026-11-22').issues).toEqual([{ path: 'to', message: 'must come after from' }]);
    expect(resolveReportRange('2026-11-01', '2026-12-01').issues).toEqual([]);
    expect(resolveReportRange('2026-11-01', '2026-12-02').issues).toEqual([{ path: 'to', message: 'the range may span at most 31 days' }]);
  });

  it('lists every hour with zeros where nothing happened, and the totals', () => {
    const report = buildMissedCallsReport(
      { fromMs: Date.parse('2026-11-23T08:00:00Z'), toMs: Date.parse('2026-11-23T08:00:00Z') + 3 * HOUR },
      [
        { hour: '2026-11-23T08', counts: { missed: 3, dialled: 2, reached: 1, failed: 0 } },
        { hour: '2026-11-23T10', counts: { missed: 1, dialled: 1, reached: 0, failed: 1 } },
      ],
    );

    expect(report).toEqual({
      from: '2026-11-23T08:00:00.000Z',
      to: '2026-11-23T11:00:00.000Z',
      hours: [
        { hour: '2026-11-23T08:00:00.000Z', missed: 3, dialled: 2, reached: 1, failed: 0 },
        { hour: '2026-11-23T09:00:00.000Z', missed: 0, dialled: 0, reached: 0, failed: 0 },
        { hour: '2026-11-23T10:00:00.000Z', missed: 1, dialled: 1, reached: 0, failed: 1 },
      ],
      totals: { missed: 4, dialled: 3, reached: 1, failed: 1 },
    });
  });

  it('reads the counters the missed calls and callbacks left (getMissedCallsReport)', async () => {
    const { deps, store } = callbackDeps();
    store.stats.set('2026-11-22T23', { missed: 9, dialled: 0, reached: 0, failed: 0 });
    store.stats.set('2026-11-23T08', { missed: 2, dialled: 1, reached: 1, failed: 0 });

    const report = await getMissedCallsReport(deps, { from: '2026-11-23', to: '2026-11-23' });

    expect(report.hours).toHaveLength(24);
    expect(report.totals).toEqual({ missed: 2, dialled: 1, reached: 1, failed: 0 });
    await expect(getMissedCallsReport(deps, { from: '2026-11-23', to: '2026-10-01' })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('listCallbacks', () => {
  it('lists callbacks newest first, of one status or all, a page at a time', async () => {
    const { deps, seedCallback } = callbackDeps();
    seedCallback(aCallback({ id: '01A', phone: '+48601000001', status: 'reached', nextAttemptAt: null }));
    seedCallback(aCallback({ id: '01B', phone: '+48601000002' }));
    seedCallback(aCallback({ id: '01C', phone: '+48601000003' }));

    const firstPage = await listCallbacks(deps, { limit: 2 });
    const secondPage = await listCallbacks(deps, { limit: 2, cursor: firstPage.nextCursor ?? undefined });
    const reached = await listCallbacks(deps, { status: 'reached', limit: 25 });

    expect(firstPage.items.map((callback) => callback.id)).toEqual(['01C', '01B']);
    expect(secondPage).toMatchObject({ items: [{ id: '01A' }], nextCursor: null });
    expect(reached.items.map((callback) => callback.id)).toEqual(['01A']);
  });
});

describe('the callbacks API contract', () => {
  const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
  let seenQuery: unknown;
  const handler = createApiHandler('callbacks', CALLBACK_ROUTES, [
    implement(callbackRoutes.listCallbacks, async ({ query }) => {
      seenQuery = query;
      return { body: { items: [], nextCursor: null } };
    }),
    implement(callbackRoutes.missedCallsReport, async ({ query }) => {
      seenQuery = query;
      return { body: { ...query, hours: [], totals: { missed: 0, dialled: 0, reached: 0, failed: 0 } } };
    }),
  ]);
  const request = (resource: string, query: Record<string, string>, groups = 'supervisors') =>
    ({
      resource,
      path: resource,
      httpMethod: 'GET',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: query,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { authorizer: { claims: { 'cognito:username': 'supervisor-1', 'cognito:groups': groups } } },
    }) as unknown as APIGatewayProxyEvent;

  it('answers 400 naming the field for a report range over 31 days, a bad date, or an unknown status', async () => {
    const tooLong = await handler(request('/reports/missed-calls', { from: '2026-11-01', to: '2026-12-15' }), context);
    const badDate = await handler(request('/reports/missed-calls', { from: 'yesterday', to: '2026-11-23' }), context);
    const badStatus = await handler(request('/callbacks', { status: 'ringing' }), context);

    expect(tooLong.statusCode).toBe(400);
    expect(JSON.parse(tooLong.body).error.details.fields).toEqual([{ path: 'query.to', message: 'the range may span at most 31 days' }]);
    expect(JSON.parse(badDate.body).error.details.fields[0].path).toBe('query.from');
    expect(badStatus.statusCode).toBe(400);
    expect(JSON.parse(badStatus.body).error.details.fields[0].path).toBe('query.status');
  });

  it('passes a valid query with the page size defaulted, and refuses agents (supervisors and admins only)', async () => {
    const ok = await handler(request('/callbacks', { status: 'open' }), context);
    const agent = await handler(request('/callbacks', {}, 'agents'), context);

    expect(ok.statusCode).toBe(200);
    expect(seenQuery).toEqual({ status: 'open', limit: 25 });
    expect(agent.statusCode).toBe(403);
  });
});
