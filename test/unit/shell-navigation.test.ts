import { EventEmitter } from 'node:events';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appVersionHandler } from '../../src-main/electron/app-version-ipc';
import { externalLink, isConsoleUrl } from '../../src-main/electron/navigation';
import { guardWebContents } from '../../src-main/electron/web-contents-guard';

const CONSOLE = 'http://127.0.0.1:50000';

describe('isConsoleUrl', () => {
  it('is true on the running console\'s exact origin only', () => {
    expect(isConsoleUrl(`${CONSOLE}/#launch=abc`, CONSOLE)).toBe(true);
    expect(isConsoleUrl(`${CONSOLE}/clients?page=2`, CONSOLE)).toBe(true);
    expect(isConsoleUrl('http://127.0.0.1:50001/', CONSOLE)).toBe(false);
    expect(isConsoleUrl('https://127.0.0.1:50000/', CONSOLE)).toBe(false);
    expect(isConsoleUrl('http://localhost:50000/', CONSOLE)).toBe(false);
    expect(isConsoleUrl('http://127.0.0.1:50000@evil.example/', CONSOLE)).toBe(false);
    expect(isConsoleUrl('data:text/html,hi', CONSOLE)).toBe(false);
    expect(isConsoleUrl('not a url', CONSOLE)).toBe(false);
    expect(isConsoleUrl(`${CONSOLE}/`, undefined)).toBe(false);
  });
});

describe('externalLink', () => {
  it('lets http(s) documentation links through to the system browser', () => {
    expect(externalLink('https://www.rfc-editor.org/rfc/rfc8628', CONSOLE)).toBe('https://www.rfc-editor.org/rfc/rfc8628');
    expect(externalLink('http://wiki.site.lan/idp', CONSOLE)).toBe('http://wiki.site.lan/idp');
    expect(externalLink('https://docs.example/a b', undefined)).toBe('https://docs.example/a%20b');
  });

  it('refuses every other scheme, credentials in the URL, the console itself, and garbage', () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://server/share', 'ms-settings:privacy', 'mailto:a@b', 'data:text/html,x', 'vbscript:x']) {
      expect(externalLink(url, CONSOLE), url).toBeUndefined();
    }
    expect(externalLink('https://user:pass@docs.example/', CONSOLE)).toBeUndefined();
    expect(externalLink('https://user@docs.example/', CONSOLE)).toBeUndefined();
    expect(externalLink(`${CONSOLE}/clients`, CONSOLE)).toBeUndefined();
    expect(externalLink('::::', CONSOLE)).toBeUndefined();
  });
});

type OpenHandler = (details: { url: string }) => { action: string };

function fakeContents() {
  const emitter = new EventEmitter() as EventEmitter & { openHandler?: OpenHandler; setWindowOpenHandler(h: OpenHandler): void };
  emitter.setWindowOpenHandler = (handler) => (emitter.openHandler = handler);
  return emitter;
}

function guarded(origin: string | undefined) {
  const contents = fakeContents();
  const openExternal = vi.fn();
  guardWebContents(contents as unknown as WebContents, { consoleOrigin: () => origin, openExternal });
  const navigate = (event: string, url: string, isMainFrame = true) => {
    const e = { url, isMainFrame, preventDefault: vi.fn() };
    contents.emit(event, e);
    return e.preventDefault.mock.calls.length > 0;
  };
  return { contents, openExternal, navigate };
}

describe('web contents guard', () => {
  it('lets frames navigate within the console and nowhere else', () => {
    const { navigate, openExternal } = guarded(CONSOLE);
    expect(navigate('will-frame-navigate', `${CONSOLE}/clients`)).toBe(false);
    expect(navigate('will-frame-navigate', 'http://127.0.0.1:4800/connect/authorize')).toBe(true);
    expect(navigate('will-frame-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate('will-frame-navigate', 'https://evil.example/', false)).toBe(true);
    // Only a main-frame link to an http(s) page is handed to the system browser.
    expect(openExternal.mock.calls).toEqual([['http://127.0.0.1:4800/connect/authorize']]);
  });

  it('prevents every navigation while the core is not running', () => {
    const { navigate } = guarded(undefined);
    expect(navigate('will-frame-navigate', `${CONSOLE}/`)).toBe(true);
  });

  it('stops server redirects away from the console without opening them', () => {
    const { navigate, openExternal } = guarded(CONSOLE);
    expect(navigate('will-redirect', `${CONSOLE}/login`)).toBe(false);
    expect(navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('never attaches a <webview>', () => {
    const { navigate } = guarded(CONSOLE);
    expect(navigate('will-attach-webview', `${CONSOLE}/`)).toBe(true);
  });

  it('denies every new window, opening http(s) documentation links externally', () => {
    const { contents, openExternal } = guarded(CONSOLE);
    const open = contents.openHandler as OpenHandler;
    expect(open({ url: 'https://www.rfc-editor.org/rfc/rfc6749' })).toEqual({ action: 'deny' });
    expect(open({ url: `${CONSOLE}/clients` })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///C:/Windows/System32/calc.exe' })).toEqual({ action: 'deny' });
    expect(open({ url: 'about:blank' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://www.rfc-editor.org/rfc/rfc6749']]);
  });
});

describe('app version IPC', () => {
  const event = (url: string | undefined) => ({ senderFrame: url === undefined ? null : { url } }) as unknown as IpcMainInvokeEvent;

  it('answers the console\'s frames and refuses any other sender', () => {
    const handler = appVersionHandler('1.2.3', () => CONSOLE);
    expect(handler(event(`${CONSOLE}/#launch=x`))).toBe('1.2.3');
    expect(() => handler(event('https://evil.example/'))).toThrow('only the console may ask');
    expect(() => handler(event('data:text/html,x'))).toThrow('only the console may ask');
    expect(() => handler(event(undefined))).toThrow('only the console may ask');
    expect(() => appVersionHandler('1.2.3', () => undefined)(event(`${CONSOLE}/`))).toThrow('only the console may ask');
  });
});
