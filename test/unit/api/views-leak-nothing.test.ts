import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '#api/contract';
import { caseView, messageView, withDeliveryStatus } from '#cases';
import { errorView } from '#platform/api/schema-parts';
import { referenceMarker } from '#email/domain/reference';
import { aCase, aMessage } from '../../support/builders.js';

/**
 * What must never leave the API: the reply token (it lets mail prove it belongs to a case), the mail
 * bucket's object keys (`key` of a stored attachment, `rawKey` of a message), and the raw DynamoDB
 * attributes of an item (keys, index keys, entity type, TTL).
 */
const SECRETS: Record<string, string | number> = {
  replyToken: 'secret-reply-token',
  key: 'mail/attachments/secret-object',
  rawKey: 'mail/raw/secret-object',
  s3Key: 'mail/secret-s3-key',
  rawS3Key: 'mail/secret-raw-s3-key',
  PK: 'CASE#secret',
  SK: 'META#secret',
  GSI1PK: 'QUEUE#secret',
  GSI1SK: 'secret',
  GSI2PK: 'CUSTOMER#secret',
  GSI2SK: 'secret',
  entity: 'case-secret',
  ttl: 1_900_000_000,
};

/**
 * A value the schema accepts, with every object in it carrying the secrets as extra fields, as a
 * domain object or a raw item handed to the view would. Records are data (custom fields, counts),
 * so they get an ordinary entry.
 */
function sampleWithSecrets(schema: z.core.$ZodType): unknown {
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries(schema.shape).map(([name, field]) => [name, sampleWithSecrets(field)]);
    return { ...SECRETS, ...Object.fromEntries(fields) };
  }
  if (schema instanceof z.ZodArray) return [sampleWithSecrets(schema.element)];
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    return sampleWithSecrets(schema.def.innerType);
  }
  if (schema instanceof z.ZodUnion) return sampleWithSecrets(schema.def.options[0] ?? z.string());
  if (schema instanceof z.ZodRecord) return { field: sampleWithSecrets(schema.def.valueType) };
  if (schema instanceof z.ZodEnum) return schema.options[0];
  if (schema instanceof z.ZodLiteral) return schema.value;
  if (schema instanceof z.ZodNumber) return 1;
  if (schema instanceof z.ZodBoolean) return true;
  if (schema instanceof z.ZodString || schema instanceof z.ZodUnknown) return 'text';
  throw new Error(`no sample for a ${schema._zod.def.type} schema`);
}

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  return [];
}

/**
 * Every view but the OpenAPI document's, a record of anything whose keys are the document's own, and
 * those of routes that answer bytes (a raw message: exactly what arrived, nothing of ours in it).
 */
const BYTE_ROUTES = ROUTES.filter((route) => route.success.mediaType !== undefined);
const VIEWS: [string, z.ZodType][] = [
  ...ROUTES.filter((route) => !(route.success.view instanceof z.ZodRecord) && route.success.mediaType === undefined).map(
    (route): [string, z.ZodType] => [routeKey(route), route.success.view],
  ),
  ['every error response', errorView],
];

describe('the views of the API', () => {
  it('cover every route but the OpenAPI document', () => {
    expect(VIEWS).toHaveLength(ROUTES.length - BYTE_ROUTES.length);
  });

  it.each(VIEWS)('%s answers without reply tokens, storage keys or raw item attributes', (_key, view) => {
    const body = JSON.stringify(view.parse(sampleWithSecrets(view)));

    for (const [name, secret] of Object.entries(SECRETS)) {
      expect(keysOf(JSON.parse(body)), name).not.toContain(name);
      expect(body).not.toContain(String(secret));
    }
  });

  it('the routes that answer bytes answer only bytes', () => {
    expect(BYTE_ROUTES.map(routeKey)).toEqual(['GET /cases/{id}/messages/{messageId}/raw']);
    for (const route of BYTE_ROUTES) {
      expect(route.success.view.safeParse(new Uint8Array([1, 2])).success).toBe(true);
      expect(route.success.view.safeParse({ rawKey: 'mail/raw/secret-object' }).success).toBe(false);
    }
  });

  it('a case and a message from the domain lose their reply token and object keys', () => {
    const shownCase = caseView.parse(aCase({ replyToken: 'tok-secret' }));
    const shownMessage = messageView.parse(withDeliveryStatus(aMessage({ rawKey: 'mail/raw/secret' })));

    expect(JSON.stringify(shownCase)).not.toContain('tok-secret');
    expect(shownCase).not.toHaveProperty('replyToken');
    expect(JSON.stringify(shownMessage)).not.toMatch(/mail\/(raw|attachments)\//);
    expect(shownMessage).not.toHaveProperty('rawKey');
    expect(shownMessage.attachments[0]).not.toHaveProperty('key');
  });
});

describe('reply tokens in message text', () => {
  it('shows outbound and quoted text without the reference marker, keeping everything else', () => {
    const marker = referenceMarker('CS-000042', 'secret-reply-token');
    const outbound = messageView.parse(withDeliveryStatus(aMessage({ text: `We are on it.\n\n${marker}` })));
    const quoted = messageView.parse(withDeliveryStatus(aMessage({ text: `Thanks!\n\n> We are on it.\n>\n> ${marker}\n> more` })));

    expect(outbound.text).toBe('We are on it.');
    expect(quoted.text).toBe('Thanks!\n\n> We are on it.\n> more');
    expect(JSON.stringify([outbound, quoted])).not.toContain('secret-reply-token');
  });
});
