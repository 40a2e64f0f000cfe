import { describe, expect, it } from 'vitest';
import type { StoredAttachment } from '#cases';
import type { QuarantineObjects, QuarantineReleaseStore } from '#email/domain/email-ports';
import { isRelease } from '#email/domain/quarantine';
import { releaseQuarantinedAttachments } from '#email/use-cases/release-quarantine';

const attachment = (key: string): StoredAttachment => ({
  filename: key.split('/').pop() ?? key,
  contentType: 'application/pdf',
  size: 3,
  checksum: 'sum',
  key,
  inline: false,
});

/** A bucket in memory: a copy of a missing key fails as S3's NoSuchKey does; failures can be planted once. */
class MemoryObjects implements QuarantineObjects {
  readonly objects = new Map<string, string>();
  failCopyOf: string | null = null;
  failRemoveOf: string | null = null;

  async copy(from: string, to: string): Promise<void> {
    if (from === this.failCopyOf) {
      this.failCopyOf = null;
      throw new Error('copy failed');
    }
    const content = this.objects.get(from);
    if (content === undefined) throw new Error(`NoSuchKey ${from}`);
    this.objects.set(to, content);
  }

  async remove(key: string): Promise<void> {
    if (key === this.failRemoveOf) {
      this.failRemoveOf = null;
      throw new Error('delete failed');
    }
    this.objects.delete(key);
  }
}

class MemoryMessages implements QuarantineReleaseStore {
  failNextWrite = false;
  constructor(readonly messages: Map<string, StoredAttachment[]>) {}

  async messagesWithAttachments() {
    return [...this.messages].filter(([, attachments]) => attachments.length > 0).map(([id, attachments]) => ({ id, attachments }));
  }

  async setAttachments(_caseId: string, messageItemId: string, attachments: StoredAttachment[]): Promise<void> {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      throw new Error('write failed');
    }
    this.messages.set(messageItemId, attachments);
  }
}

function quarantinedCase() {
  const objects = new MemoryObjects();
  for (const key of ['quarantine/attachments/m1/1-a.pdf', 'quarantine/attachments/m1/2-b.pdf', 'quarantine/attachments/m2/1-c.pdf']) {
    objects.objects.set(key, `content of ${key}`);
  }
  const messages = new MemoryMessages(
    new Map([
      ['msg-1', [attachment('quarantine/attachments/m1/1-a.pdf'), attachment('quarantine/attachments/m1/2-b.pdf')]],
      ['msg-2', [attachment('quarantine/attachments/m2/1-c.pdf')]],
      ['msg-3', []],
    ]),
  );
  return { objects, messages, deps: { objects, messages } };
}

const released = {
  objects: new Map([
    ['attachments/m1/1-a.pdf', 'content of quarantine/attachments/m1/1-a.pdf'],
    ['attachments/m1/2-b.pdf', 'content of quarantine/attachments/m1/2-b.pdf'],
    ['attachments/m2/1-c.pdf', 'content of quarantine/attachments/m2/1-c.pdf'],
  ]),
  keys: {
    'msg-1': ['attachments/m1/1-a.pdf', 'attachments/m1/2-b.pdf'],
    'msg-2': ['attachments/m2/1-c.pdf'],
    'msg-3': [],
  },
};

const keysOf = (messages: MemoryMessages) =>
  Object.fromEntries([...messages.messages].map(([id, attachments]) => [id, attachments.map((a) => a.key)]));

describe('releaseQuarantinedAttachments', () => {
  it('moves every attachment out of quarantine/: copies, message keys rewritten, quarantined objects deleted', async () => {
    const { objects, messages, deps } = quarantinedCase();

    expect(await releaseQuarantinedAttachments(deps, { caseId: 'case-1' })).toEqual({ moved: 3, messages: 2 });

    expect(objects.objects).toEqual(released.objects);
    expect(keysOf(messages)).toEqual(released.keys);
    expect(messages.messages.get('msg-1')?.[0]).toEqual(attachment('attachments/m1/1-a.pdf'));
  });

  it('does nothing more when run again after it completed', async () => {
    const { objects, messages, deps } = quarantinedCase();
    await releaseQuarantinedAttachments(deps, { caseId: 'case-1' });

    expect(await releaseQuarantinedAttachments(deps, { caseId: 'case-1' })).toEqual({ moved: 0, messages: 0 });
    expect(objects.objects).toEqual(released.objects);
    expect(keysOf(messages)).toEqual(released.keys);
  });

  it('loses nothing when a copy fails midway, and a re-run completes the release', async () => {
    const { objects, messages, deps } = quarantinedCase();
    objects.failCopyOf = 'quarantine/attachments/m2/1-c.pdf';

    await expect(releaseQuarantinedAttachments(deps, { caseId: 'case-1' })).rejects.toThrow('copy failed');
    // The message not yet moved still names its quarantined object, which is still there.
    expect(keysOf(messages)['msg-2']).toEqual(['quarantine/attachments/m2/1-c.pdf']);
    expect(objects.objects.get('quarantine/attachments/m2/1-c.pdf')).toBe('content of quarantine/attachments/m2/1-c.pdf');

    await releaseQuarantinedAttachments(deps, { caseId: 'case-1' });
    expect(objects.objects).toEqual(released.objects);
    expect(keysOf(messages)).toEqual(released.keys);
  });

  it('loses nothing when rewriting a message fails after its copies, and a re-run completes the release', async () => {
    const { objects, messages, deps } = quarantinedCase();
    messages.failNextWrite = true;

    await expect(releaseQuarantinedAttachments(deps, { caseId: 'case-1' })).rejects.toThrow('write failed');
    expect(keysOf(messages)['msg-1']).toEqual(['quarantine/attachments/m1/1-a.pdf', 'quarantine/attachments/m1/2-b.pdf']);
    expect(objects.objects.get('quarantine/attachments/m1/1-a.pdf')).toBe('content of quarantine/attachments/m1/1-a.pdf');

    await releaseQuarantinedAttachments(deps, { caseId: 'case-1' });
    expect(objects.objects).toEqual(released.objects);
    expect(keysOf(messages)).toEqual(released.keys);
  });

  it('deletes on a re-run the quarantined objects a failed delete left behind', async () => {
    const { objects, messages, deps } = quarantinedCase();
    objects.failRemoveOf = 'quarantine/attachments/m1/2-b.pdf';

    await expect(releaseQuarantinedAttachments(deps, { caseId: 'case-1' })).rejects.toThrow('delete failed');
    expect(keysOf(messages)['msg-1']).toEqual(released.keys['msg-1']);
    expect(objects.objects.has('quarantine/attachments/m1/2-b.pdf')).toBe(true);

    await releaseQuarantinedAttachments(deps, { caseId: 'case-1' });
    expect(objects.objects).toEqual(released.objects);
    expect(keysOf(messages)).toEqual(released.keys);
  });
});

describe('isRelease', () => {
  it('is only quarantined → new: closing a quarantined case, or any other change, releases nothing', () => {
    expect(isRelease('quarantined', 'new')).toBe(true);
    expect(isRelease('quarantined', 'closed')).toBe(false);
    expect(isRelease('quarantined', 'quarantined')).toBe(false);
    expect(isRelease('closed', 'open')).toBe(false);
    expect(isRelease(undefined, 'new')).toBe(false);
  });
});
