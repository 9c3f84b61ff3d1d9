import { describe, expect, it } from 'vitest';
import { adminErrorAnswer } from '../../src-main/core/admin/admin-errors';
import { BatchWriterStoppedError } from '../../src-main/core/admin/batch-writer';
import { ValidationError } from '../../src-main/core/domain';
import { UnknownClientError } from '../../src-main/core/operations/client-secrets';
import { UnknownUserError } from '../../src-main/core/operations/user-accounts';
import { UnknownGroupError } from '../../src-main/core/operations/client-kill-switch';
import { ItemConflictError, ItemNotFoundError } from '../../src-main/core/operations/configuration-items';
import type { Logger } from '../../src-main/core/logger';

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (msg) => void errors.push(msg) };
}

describe('the one admin error mapper', () => {
  it.each([
    [new UnknownClientError('c1'), 404, 'not_found', 'no client "c1"'],
    [new UnknownUserError('alice'), 404, 'not_found', 'no user "alice"'],
    [new UnknownGroupError('line-3'), 404, 'not_found', expect.stringContaining('no client is in a group "line-3"')],
    [new ItemNotFoundError('apiScopes', 'read'), 404, 'not_found', 'API scope "read" does not exist'],
    [new ItemConflictError('taken'), 409, 'conflict', 'taken'],
    [new BatchWriterStoppedError(3), 500, 'server_error', expect.stringContaining('exit code 3')],
  ])('answers %s with its status and code', (err, status, code, message) => {
    const logger = recordingLogger();
    expect(adminErrorAnswer(err, logger)).toEqual({ status, body: { error: code, message } });
    expect(logger.errors).toEqual([]);
  });

  it('answers invalid input with each field error, by path and in full', () => {
    const errors = [
      { path: 'clients[0].clientId', message: 'is required' },
      { path: 'clients[0].clientId', message: 'second complaint' },
      { path: '', message: 'the file is empty' },
    ];
    expect(adminErrorAnswer(new ValidationError(errors), recordingLogger())).toEqual({
      status: 400,
      body: {
        error: 'validation_failed',
        message: 'clients[0].clientId: is required; clients[0].clientId: second complaint; the file is empty',
        fields: { 'clients[0].clientId': 'is required', '': 'the file is empty' },
        errors,
      },
    });
  });

  it('answers a locked database with 503 and Retry-After', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    const answer = adminErrorAnswer(busy, recordingLogger());
    expect(answer.status).toBe(503);
    expect(answer.body.error).toBe('temporarily_unavailable');
    expect(answer.headers).toEqual({ 'Retry-After': '1' });
  });

  it('answers anything else as server_error without its text, and logs it', () => {
    const logger = recordingLogger();
    const answer = adminErrorAnswer(new TypeError('secret internal detail'), logger);
    expect(answer).toEqual({ status: 500, body: { error: 'server_error', message: 'an unexpected error happened; the details are in the log' } });
    expect(logger.errors).toEqual(['admin request failed']);
  });
});
