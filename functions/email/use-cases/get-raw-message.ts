import { type CaseViewer, loadCaseFor } from '#cases';
import { NotFoundError } from '#platform/domain/errors';
import type { EmailDeps } from './deps.js';

export type RawMessageDeps = Pick<EmailDeps, 'cases' | 'objects'>;

/**
 * The raw MIME of a received message, the exact bytes SES (or the local SMTP server) stored: the
 * "show original" of a mail client, and where everything lives that the stored message leaves out
 * (text past 64 KiB, headers, rejected attachments, long recipient lists).
 *
 * The case is read through `loadCaseFor`, so the rule on which cases a caller may see applies here
 * as on `GET /cases/{id}`; the message is then read by its id, however long the case.
 *
 * @throws NotFoundError when the case, or a message of it with that id, does not exist, or the
 *   message has no raw copy (mail we sent, notes of other channels).
 */
export async function getRawMessage(
  deps: RawMessageDeps,
  input: { caseId: string; messageId: string; viewer: CaseViewer },
): Promise<Uint8Array> {
  const visible = await loadCaseFor(deps, input.viewer, input.caseId);
  const message = await deps.cases.getMessage(visible.id, input.messageId);
  if (!message?.rawKey) throw new NotFoundError('raw message', input.messageId);
  return deps.objects.getRaw(message.rawKey);
}
