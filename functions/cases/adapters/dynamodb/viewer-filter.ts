import type { CaseViewer } from '../../domain/case-access.js';

/**
 * The case items a viewer may see, as `queryPage`'s `anyOf`: the queues they serve or their own
 * assignments (the same rule as `canSeeCase`, where DynamoDB applies it); undefined for all.
 */
export function viewerFilter(viewer: CaseViewer | undefined): Record<string, readonly string[]> | undefined {
  if (!viewer || viewer.scope === 'all') return undefined;
  return { queue: viewer.queues, assigneeId: [viewer.id] };
}
