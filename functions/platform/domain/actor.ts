/** The groups of the user pool, each a role in Switchboard. */
export const ROLES = ['agents', 'supervisors', 'admins'] as const;
export type Role = (typeof ROLES)[number];

/** Who performs an action: a signed-in person, or the system itself (intake, routing, timers). */
export type Actor = { kind: 'user'; id: string; roles: readonly Role[] } | { kind: 'system'; id: string };

/** The system actor of a given component, e.g. `systemActor('email-intake')`. */
export function systemActor(component: string): Actor {
  return { kind: 'system', id: component };
}

/** Whether the actor holds at least one of the roles (the system holds all). */
export function actorHasRole(actor: Actor, roles: readonly Role[]): boolean {
  if (actor.kind === 'system') return true;
  return actor.roles.some((role) => roles.includes(role));
}
