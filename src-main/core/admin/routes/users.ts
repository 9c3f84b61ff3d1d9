import express, { type Router } from 'express';
import { z } from 'zod';
import type { AdminDeps } from '../admin-deps';
import { actorOf } from '../request-guards';
import { bodyObject, parseInput } from '../parse-input';
import { conflict, notFound } from '../admin-errors';
import { addUser, setUserPassword, unlockUser } from '../../operations/user-accounts';
import { accountKey } from '../../runtime/login-throttle';
import { deleteItem, saveItem } from '../../operations/configuration-items';
import type { UserRecord } from '../contract';

const newUser = z.strictObject({
  username: z.string().trim().min(1, 'required'),
  password: z.string(),
  subjectId: z.string().trim().min(1).optional(),
  claims: z.record(z.string(), z.unknown()).optional(),
});

const newPassword = z.strictObject({ password: z.string() });

/** `/api/users`: local accounts (by subject id), passwords, sign-in locks. */
export function userRoutes(deps: AdminDeps): Router {
  const { store, clock } = deps.context;
  const router = express.Router();
  const userOf = (subjectId: string) => {
    const user = store.users.get(subjectId);
    if (!user) throw notFound(`user "${subjectId}"`);
    return user;
  };
  const view = (u: ReturnType<typeof userOf>): UserRecord => {
    const lockedUntil = store.loginAttempts.get(accountKey(u.username))?.lockedUntil;
    return { ...u, lockedUntil: lockedUntil !== undefined && lockedUntil > clock.now() ? lockedUntil : undefined };
  };

  router.get('/users', (_req, res) => {
    res.json(store.users.all().map(view));
  });

  router.get('/users/:subjectId', (req, res) => {
    res.json(view(userOf(req.params.subjectId)));
  });

  router.post('/users', async (req, res) => {
    const body = parseInput(newUser, req.body);
    if (store.users.subjectByUsername(body.username) !== undefined) throw conflict(`the username "${body.username}" is taken`);
    const { subjectId } = await addUser(store, body, clock.now(), actorOf(res));
    res.status(201).json(view(userOf(subjectId)));
  });

  router.put('/users/:subjectId', (req, res) => {
    saveItem(store, 'users', bodyObject(req.body), 'update', req.params.subjectId, clock.now(), actorOf(res));
    res.json(view(userOf(req.params.subjectId)));
  });

  router.delete('/users/:subjectId', (req, res) => {
    deleteItem(store, 'users', req.params.subjectId, clock.now(), actorOf(res));
    res.status(204).end();
  });

  router.post('/users/:subjectId/password', async (req, res) => {
    const { password } = parseInput(newPassword, req.body);
    await setUserPassword(store, userOf(req.params.subjectId).username, password, clock.now(), actorOf(res));
    res.status(204).end();
  });

  router.post('/users/:subjectId/unlock', (req, res) => {
    unlockUser(store, userOf(req.params.subjectId).username, clock.now(), actorOf(res));
    res.json(view(userOf(req.params.subjectId)));
  });

  return router;
}
