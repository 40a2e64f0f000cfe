import { describe, expect, it } from 'vitest';
import type { Case } from '#cases/domain/case';
import { decideThread, type ThreadEvidence } from '#email/domain/threading';
import { aCase } from '../../support/builders.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

function evidence(overrides: Partial<ThreadEvidence> = {}): ThreadEvidence {
  return {
    sender: 'anna@example.pl',
    senderVerified: true,
    automation: null,
    namesCase: false,
    tokenCase: null,
    headerCase: null,
    subjectCase: null,
    duplicateOf: null,
    quarantined: false,
    ...overrides,
  };
}

describe('decideThread', () => {
  it('trusts a correct reference token first, then our Message-IDs in the headers', () => {
    const byToken = aCase({ id: 'token-case' });
    const byHeader = aCase({ id: 'header-case' });

    expect(decideThread(evidence({ tokenCase: byToken, headerCase: byHeader }), NOW, 7)).toMatchObject({
      kind: 'attach',
      case: { id: 'token-case' },
      method: 'reference_token',
      confidence: 'high',
    });
    expect(decideThread(evidence({ headerCase: byHeader }), NOW, 7)).toMatchObject({ case: { id: 'header-case' }, method: 'header' });
  });

  it('accepts a subject number only from a participant, with medium confidence', () => {
    const named = aCase({ participants: ['anna@example.pl', 'jan@example.pl'] });

    expect(decideThread(evidence({ sender: 'jan@example.pl', subjectCase: named }), NOW, 7)).toMatchObject({
      kind: 'attach',
      method: 'subject_number',
      confidence: 'medium',
    });
  });

  it('opens a new case for a stranger naming a case number, recording the possible relation', () => {
    const named = aCase({ id: 'someone-elses' });

    const decision = decideThread(evidence({ sender: 'mallory@example.com', subjectCase: named }), NOW, 7);

    expect(decision).toEqual({ kind: 'new', related: { case: named, relation: 'possibly_same_thread_as' } });
  });

  it('reopens a case resolved within the window and follows up one resolved before it or closed', () => {
    const recent = aCase({ status: 'resolved', resolvedAt: new Date(NOW - 6 * DAY).toISOString() });
    const old = aCase({ status: 'resolved', resolvedAt: new Date(NOW - 8 * DAY).toISOString() });
    const closed = aCase({ status: 'closed' });

    expect(decideThread(evidence({ tokenCase: recent }), NOW, 7)).toMatchObject({ kind: 'attach', reopen: true });
    expect(decideThread(evidence({ tokenCase: old }), NOW, 7)).toEqual({ kind: 'new', related: { case: old, relation: 'follow_up_of' } });
    expect(decideThread(evidence({ headerCase: closed }), NOW, 7)).toEqual({
      kind: 'new',
      related: { case: closed, relation: 'follow_up_of' },
    });
  });

  it('joins a resend to the case its first copy opened when nothing else matches', () => {
    const first: Case = aCase({ id: 'first' });

    expect(decideThread(evidence({ duplicateOf: first }), NOW, 7)).toMatchObject({
      kind: 'attach',
      case: { id: 'first' },
      method: 'duplicate_content',
    });
    expect(decideThread(evidence(), NOW, 7)).toEqual({ kind: 'new', related: null });
  });

  it('lets a participant in by subject number only when the mail proves its sender; the token still threads', () => {
    const named = aCase({ id: 'annas', participants: ['anna@example.pl'] });

    expect(decideThread(evidence({ senderVerified: false, subjectCase: named }), NOW, 7)).toEqual({
      kind: 'new',
      related: { case: named, relation: 'possibly_same_thread_as' },
    });
    expect(decideThread(evidence({ senderVerified: false, tokenCase: named, subjectCase: named }), NOW, 7)).toMatchObject({
      kind: 'attach',
      case: { id: 'annas' },
      method: 'reference_token',
    });
  });

  it('records automated mail on the case it names without reopening it or opening a follow-up', () => {
    const resolved = aCase({ id: 'resolved', status: 'resolved', resolvedAt: new Date(NOW - DAY).toISOString() });
    const closed = aCase({ id: 'closed', status: 'closed' });
    const automation = 'auto-submitted: auto-replied';

    expect(decideThread(evidence({ automation, headerCase: resolved }), NOW, 7)).toMatchObject({
      kind: 'attach',
      case: { id: 'resolved' },
      reopen: false,
    });
    expect(decideThread(evidence({ automation, tokenCase: closed }), NOW, 7)).toMatchObject({
      kind: 'attach',
      case: { id: 'closed' },
      reopen: false,
    });
  });

  it('drops automated mail naming a case it may not join, and opens a case for automated mail naming none', () => {
    const automation = 'precedence: bulk';
    const someoneElses = aCase({ id: 'someone-elses' });

    expect(decideThread(evidence({ automation, namesCase: true }), NOW, 7)).toMatchObject({ kind: 'drop' });
    expect(
      decideThread(evidence({ automation, namesCase: true, sender: 'mallory@example.com', subjectCase: someoneElses }), NOW, 7),
    ).toMatchObject({ kind: 'drop' });
    expect(decideThread(evidence({ automation }), NOW, 7)).toEqual({ kind: 'new', related: null });
  });

  it('opens a new case, related to the one it names, for mail SES judged spam that would join a case not held', () => {
    const open = aCase({ id: 'open-case', status: 'open' });

    expect(decideThread(evidence({ quarantined: true, tokenCase: open }), NOW, 7)).toEqual({
      kind: 'new',
      related: { case: open, relation: 'possibly_same_thread_as' },
    });
    expect(decideThread(evidence({ quarantined: true, duplicateOf: open }), NOW, 7)).toMatchObject({ kind: 'new' });
    expect(decideThread(evidence({ quarantined: false, tokenCase: open }), NOW, 7)).toMatchObject({ kind: 'attach' });
  });

  it('lets mail SES judged spam join a case that is itself quarantined', () => {
    const held = aCase({ id: 'held', status: 'quarantined' });

    expect(decideThread(evidence({ quarantined: true, headerCase: held }), NOW, 7)).toMatchObject({
      kind: 'attach',
      case: { id: 'held' },
    });
  });
});
