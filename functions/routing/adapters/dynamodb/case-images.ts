import { caseEntity } from '#cases/adapters';

/**
 * Case items as this feature's stream handlers read them (new and old images of the cases table's
 * stream): the cases feature's own definition, wired here so handlers never reach another feature's
 * adapters.
 */
export const caseImages = { tag: caseEntity.tag, fromImage: caseEntity.fromItem } as const;
