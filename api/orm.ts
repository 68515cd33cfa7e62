import { RequestContext, type EntityManager } from '@mikro-orm/postgresql';

/** The request's EntityManager (set up by the ormContext middleware). */
export function currentEm(): EntityManager {
  const em = RequestContext.getEntityManager();
  if (!em) throw new Error('no ORM request context: is the ormContext middleware installed?');
  return em as EntityManager;
}
