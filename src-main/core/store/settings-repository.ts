import type { Db } from './db';
import type { ChangeStamp } from './change-stamp';
import { DEFAULT_SETTINGS, serverSettingsInput, type ServerSettings } from '../domain';

const KEY = 'server';

/** Server-wide settings as one JSON document; missing members take their defaults. */
export class SettingsRepository {
  private readonly stmts;

  constructor(db: Db, private readonly changes: ChangeStamp) {
    this.stmts = {
      get: db.prepare<[string]>('SELECT value FROM settings WHERE key = ?').pluck(),
      put: db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  get(): ServerSettings {
    const raw = this.stmts.get.get(KEY) as string | undefined;
    return raw === undefined ? DEFAULT_SETTINGS : serverSettingsInput.parse(JSON.parse(raw));
  }

  put(settings: ServerSettings): void {
    this.stmts.put.run(KEY, JSON.stringify(settings));
    this.changes.touch();
  }
}
