import type { Actor } from '#platform/domain/actor';
import { isoNow } from '#platform/domain/clock';
import { NotFoundError } from '#platform/domain/errors';
import { CommitConflict } from '#platform/domain/commit-conflict';
import { type Note } from '../domain/case-ports.js';
import { type CaseViewer, SEES_ALL } from '../domain/case-access.js';
import { visibleCaseId } from './case-access.js';
import type { CaseDeps } from './deps.js';

/**
 * Adds an internal note to a case (by id or number).
 *
 * 0. A viewer limited to some queues reads the case first: one they may not see is not found.
 * 1. Build the note and its `note.added` audit entry.
 * 2. Store both at once, on the condition that the case exists.
 *
 * @throws NotFoundError when the case does not exist or the viewer may not see it.
 */
export async function addNote(
  deps: CaseDeps,
  input: { caseId: string; body: string; viewer?: CaseViewer | undefined },
  actor: Actor,
): Promise<Note> {
  const viewer = input.viewer ?? SEES_ALL;
  const caseId = await visibleCaseId(deps, viewer, input.caseId);
  const now = isoNow(deps.clock);
  const note: Note = { id: deps.ids.newId(), caseId, body: input.body, authorId: actor.id, createdAt: now };
  try {
    await deps.cases.addNote(note, {
      id: deps.ids.newId(),
      caseId,
      at: now,
      actor: { kind: actor.kind, id: actor.id },
      action: 'note.added',
      changes: [],
      data: { noteId: note.id, body: note.body },
    });
  } catch (error) {
    if (error instanceof CommitConflict) throw new NotFoundError('case', input.caseId);
    throw error;
  }
  return note;
}
