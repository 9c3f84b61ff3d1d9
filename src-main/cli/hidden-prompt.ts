import { CliRefusal } from './cli-errors';

/** A terminal's input stream: what raw mode needs. */
export interface TerminalInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

export const isTerminal = (input: TerminalInput): input is TerminalInput & { setRawMode: (raw: boolean) => unknown } =>
  input.isTTY === true && typeof input.setRawMode === 'function';

/**
 * Asks for one line on a terminal without echoing it: raw mode, so the terminal shows nothing
 * typed (not even stars, which would tell its length). Backspace edits; Ctrl-C or Ctrl-D on an
 * empty line cancels and changes nothing.
 */
export function promptHidden(prompt: string, input: TerminalInput & { setRawMode: (raw: boolean) => unknown }, say: (text: string) => void): Promise<string> {
  // Raw mode before the prompt shows, so nothing typed (or pasted) in answer to it ever echoes.
  input.setRawMode(true);
  say(prompt);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (settle: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      say('\n');
      settle();
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(typed.join('')));
        if (ch === '\u0003' || (ch === '\u0004' && typed.length === 0)) return finish(() => reject(new CliRefusal('cancelled: nothing was changed')));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed.push(ch);
      }
    };
    input.on('data', onData);
  });
}
