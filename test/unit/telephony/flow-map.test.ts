import { describe, expect, it } from 'vitest';
import { callCaseMap, callerLookupMap, flowErrorMap, toFlowMap } from '#telephony/adapters/connect/flow-map';
import { CallerWithheldError } from '#telephony/domain/caller-withheld-error';
import { ContentionError, ValidationError } from '#platform/domain/errors';

const LOOKUP_KEYS = [
  'status',
  'found',
  'customerId',
  'customerName',
  'preferredLanguage',
  'tier',
  'openCaseCount',
  'latestCaseNumber',
  'latestCaseStatus',
  'suggestedQueue',
];

describe('toFlowMap', () => {
  it('turns every value into a string: booleans, numbers, null and undefined', () => {
    const map = toFlowMap({ text: 'a', yes: true, no: false, count: 3, zero: 0, ratio: 1.5, none: null, missing: undefined, empty: '' });

    expect(map).toEqual({ text: 'a', yes: 'true', no: 'false', count: '3', zero: '0', ratio: '1.5', none: '', missing: '', empty: '' });
    expect(Object.values(map).every((value) => typeof value === 'string')).toBe(true);
  });
});

describe('flowErrorMap', () => {
  it('sends the flow down its error branch with the domain error’s message', () => {
    expect(flowErrorMap(new CallerWithheldError())).toEqual({ status: 'error', reason: 'caller number withheld' });
    expect(flowErrorMap(new ContentionError('too many calls'))).toEqual({ status: 'error', reason: 'too many calls' });
    expect(flowErrorMap(new ValidationError('the flow parameters are not valid: Details.Parameters.reason: required'))).toEqual({
      status: 'error',
      reason: 'invalid request: the flow parameters are not valid: Details.Parameters.reason: required',
    });
  });

  it('never passes on a raw exception, and keeps the reason short', () => {
    const sdkError = Object.assign(new Error('User: arn:aws:sts::111111111111:assumed-role/x is not authorized'), {
      name: 'AccessDeniedException',
    });

    expect(flowErrorMap(sdkError)).toEqual({ status: 'error', reason: 'internal error' });
    expect(flowErrorMap('a string thrown')).toEqual({ status: 'error', reason: 'internal error' });
    expect(flowErrorMap(new ValidationError('x'.repeat(1000))).reason).toHaveLength(300);
  });
});

describe('callerLookupMap', () => {
  it('answers a known caller with every key, as strings', () => {
    const map = callerLookupMap({
      phone: '+48601234567',
      customerId: 'cust-1',
      profile: { id: 'cust-1', name: 'Anna Kowalska', preferredLanguage: null, tier: 'vip' },
      openCaseCount: 0,
      latestCase: { id: 'case-1', number: 'CS-000007', status: 'closed', queue: 'stores', createdAt: '2026-11-23T08:00:00.000Z' },
      suggestedQueue: 'customers',
    });

    expect(map).toEqual({
      status: 'ok',
      found: 'true',
      customerId: 'cust-1',
      customerName: 'Anna Kowalska',
      preferredLanguage: '',
      tier: 'vip',
      openCaseCount: '0',
      latestCaseNumber: 'CS-000007',
      latestCaseStatus: 'closed',
      suggestedQueue: 'customers',
    });
  });

  it('answers an unknown caller with found "false" and every other key empty', () => {
    const map = callerLookupMap({ phone: null, customerId: null, profile: null, openCaseCount: 0, latestCase: null, suggestedQueue: null });

    expect(Object.keys(map)).toEqual(LOOKUP_KEYS);
    expect(map).toMatchObject({ status: 'ok', found: 'false' });
    expect(LOOKUP_KEYS.slice(2).map((key) => map[key])).toEqual(LOOKUP_KEYS.slice(2).map(() => ''));
  });
});

describe('callCaseMap', () => {
  it('answers the case, whether it was linked, and the customer', () => {
    expect(callCaseMap({ caseId: 'case-1', caseNumber: 'CS-000001', customerId: 'cust-1', linked: false, repeated: true })).toEqual({
      status: 'ok',
      caseId: 'case-1',
      caseNumber: 'CS-000001',
      linked: 'false',
      customerId: 'cust-1',
    });
  });
});
