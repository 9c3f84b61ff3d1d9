import type { Clock } from '../../clock';
import type { Store } from '../../store';
import { handleHash, newHandle } from '../../tokens/handles';
import type { AuthorizationRequest } from './authorization-request';

const INTERACTION = 'interaction';
/** How long a person has to finish signing in or consenting. */
const INTERACTION_LIFETIME_MS = 15 * 60_000;

export interface Interaction {
  id: string;
  request: AuthorizationRequest;
  stage: 'login' | 'consent';
  /** Set once the user has signed in during this interaction. */
  subject?: string | undefined;
}

/** Authorization requests waiting for a person (login, consent), kept server-side by id. */
export class Interactions {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  create(request: AuthorizationRequest, stage: Interaction['stage'], subject?: string): Interaction {
    const id = newHandle();
    const now = this.clock.now();
    const interaction: Interaction = { id, request, stage, subject };
    this.store.grants.insert({
      handleHash: handleHash(INTERACTION, id),
      type: INTERACTION,
      clientId: request.clientId,
      subject,
      data: { request, stage, subject },
      createdAt: now,
      expiresAt: now + INTERACTION_LIFETIME_MS,
    });
    return interaction;
  }

  find(id: string | undefined): Interaction | undefined {
    if (!id) return undefined;
    const g = this.store.grants.get(handleHash(INTERACTION, id));
    if (!g || g.type !== INTERACTION || g.consumedAt !== undefined || g.expiresAt <= this.clock.now()) return undefined;
    const data = g.data as unknown as Omit<Interaction, 'id'>;
    return { id, ...data };
  }

  /** Ends an interaction; a form posted twice finds nothing the second time. */
  finish(id: string): boolean {
    return this.store.grants.consume(handleHash(INTERACTION, id), this.clock.now());
  }
}
