import { describe, expect, it } from 'vitest';
import { caseFromItem, caseItem } from '#cases/adapters/dynamodb/case-item';
import { aCase } from '../../support/builders.js';

describe('the case item', () => {
  it('stores the call-in-progress flag as its own attribute, beside the custom fields', () => {
    const item = caseItem(aCase({ customFields: { orderId: 'A-17' }, connectCallInProgress: true }));

    expect(item).toMatchObject({
      PK: 'CASE#case-1',
      SK: 'CASE',
      entity: 'case',
      customFields: { orderId: 'A-17' },
      connectCallInProgress: true,
    });
    expect(caseFromItem(item)).toEqual(aCase({ customFields: { orderId: 'A-17' }, connectCallInProgress: true }));
  });

  it('reads the flag of an item written when it was a custom field, and takes it out of the custom fields', () => {
    const { connectCallInProgress: _typed, ...older } = caseItem(aCase());
    const held = { ...older, customFields: { orderId: 'A-17', connectCallInProgress: true } };
    const released = { ...older, customFields: { connectContactId: 'c-1' } };

    expect(caseFromItem(held)).toMatchObject({ customFields: { orderId: 'A-17' }, connectCallInProgress: true });
    expect(caseFromItem(held).customFields).toEqual({ orderId: 'A-17' });
    expect(caseFromItem(released)).toMatchObject({ customFields: { connectContactId: 'c-1' }, connectCallInProgress: false });
  });
});
