import type { QuarantineObjects, QuarantineReleaseStore } from '../domain/email-ports.js';
import { isQuarantined, QUARANTINE_PREFIX, releasedKey } from '../domain/quarantine.js';

export interface ReleaseDeps {
  messages: QuarantineReleaseStore;
  objects: QuarantineObjects;
}

export interface ReleaseOutcome {
  /** Attachments moved out of `quarantine/` by this run. */
  moved: number;
  /** Messages whose attachment keys this run rewrote. */
  messages: number;
}

/**
 * A case let out of quarantine: its attachments move from `quarantine/attachments/…` to
 * `attachments/…`, where downloads reach them. Per message: copy each object to its released key,
 * then point the message at the copies, then delete the quarantined objects. Every step is
 * idempotent, so a run that fails anywhere is simply run again from the start:
 * - failing before the message is rewritten leaves it on the quarantined objects, which are still
 *   there (copies are only overwritten by the next run);
 * - failing after it leaves quarantined objects no message names; every run deletes the
 *   `quarantine/` twin of each released key of the case, so the next run removes them (a delete of
 *   a key that is not there succeeds).
 */
export async function releaseQuarantinedAttachments(deps: ReleaseDeps, input: { caseId: string }): Promise<ReleaseOutcome> {
  const outcome: ReleaseOutcome = { moved: 0, messages: 0 };
  for (const message of await deps.messages.messagesWithAttachments(input.caseId)) {
    const held = message.attachments.filter((attachment) => isQuarantined(attachment.key));
    if (held.length > 0) {
      await Promise.all(held.map((attachment) => deps.objects.copy(attachment.key, releasedKey(attachment.key))));
      await deps.messages.setAttachments(
        input.caseId,
        message.id,
        message.attachments.map((attachment) => ({ ...attachment, key: releasedKey(attachment.key) })),
      );
      outcome.moved += held.length;
      outcome.messages += 1;
    }
    await Promise.all(message.attachments.map((attachment) => deps.objects.remove(`${QUARANTINE_PREFIX}${releasedKey(attachment.key)}`)));
  }
  return outcome;
}
