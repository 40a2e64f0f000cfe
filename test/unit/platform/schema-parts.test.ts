import { describe, expect, it, vi } from 'vitest';
import { AGENT_ROUTES } from '#agents/api/routes';
import { findCustomerQuery } from '#customers/api/routes';
import { openCaseBody } from '#cases/api/schemas';
import { emailAddress } from '#platform/api/schema-parts';

const longest = `${'a'.repeat(64)}@${'b'.repeat(186)}.pl`;
const tooLong = `${'a'.repeat(65)}@${'b'.repeat(186)}.pl`;

describe('email addresses in requests', () => {
  it('refuses an address over 254 characters before the pattern sees it, and takes one of 254', () => {
    const patterns = vi.spyOn(RegExp.prototype, 'test');
    try {
      const refused = emailAddress.safeParse(tooLong);
      expect(refused.success).toBe(false);
      expect(refused.error?.issues.map((issue) => issue.code)).toEqual(['too_big']);
      // Zod measures the string with a pattern of its own; no pattern about addresses may run.
      expect(patterns.mock.contexts.filter((pattern) => (pattern as RegExp).source.includes('@'))).toEqual([]);
    } finally {
      patterns.mockRestore();
    }
    expect(longest).toHaveLength(254);
    expect(emailAddress.safeParse(longest).success).toBe(true);
    expect(emailAddress.safeParse('anna example.pl').success).toBe(false);
  });

  it('refuses an oversized address in every request schema that takes one', () => {
    const agentBody = AGENT_ROUTES.find((route) => route.method === 'PUT' && route.path === '/agents/{id}')?.body;
    const agent = { name: 'Anna', email: tooLong, roles: ['agents'], skills: [], queues: [], capacity: 3 };

    expect(agentBody?.safeParse(agent).success).toBe(false);
    expect(agentBody?.safeParse({ ...agent, email: longest }).success).toBe(true);
    expect(findCustomerQuery.safeParse({ email: tooLong }).success).toBe(false);
    expect(openCaseBody.safeParse({ subject: 's', description: 'd', channel: 'email', customer: { email: tooLong } }).success).toBe(false);
  });
});
