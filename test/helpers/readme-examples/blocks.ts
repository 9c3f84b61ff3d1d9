/**
 * The fenced code blocks of a Markdown file, each with its language, the line it starts on, the
 * paragraph before it, and the reason it is not run when a marker right before it says so:
 * `<!-- readme-test: skip — why -->` (the last non-blank line before the fence).
 */
export interface ReadmeBlock {
  lang: 'sh' | 'json' | 'text';
  /** 1-based line of the opening fence. */
  line: number;
  text: string;
  /** The paragraph right before the block (for claims such as "an example of `resources/x.json`"). */
  before: string;
  skip?: string;
}

const LANGS: Record<string, ReadmeBlock['lang']> = { sh: 'sh', bash: 'sh', shell: 'sh', json: 'json', text: 'text' };
const MARKER = /^<!--\s*readme-test:\s*skip\s*[—–-]+\s*(.*?)\s*-->$/;

/** Throws one error listing every unreadable block: no language, an unknown one, a marker without a reason or without a block. */
export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const lines = markdown.split('\n');
  const blocks: ReadmeBlock[] = [];
  const faults: string[] = [];
  let pendingSkip: { reason: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line.trim());
    if (line.trim().startsWith('<!--') && line.includes('readme-test')) {
      if (!marker) faults.push(`line ${i + 1}: write the marker as <!-- readme-test: skip — reason -->`);
      else if (!marker[1]) faults.push(`line ${i + 1}: a skip marker needs a reason`);
      else pendingSkip = { reason: marker[1], line: i + 1 };
      continue;
    }
    const fence = /^```(.*)$/.exec(line);
    if (!fence) {
      if (pendingSkip && line.trim() !== '') {
        faults.push(`line ${pendingSkip.line}: a skip marker must come right before a code block`);
        pendingSkip = undefined;
      }
      continue;
    }
    const close = lines.indexOf('```', i + 1);
    if (close < 0) {
      faults.push(`line ${i + 1}: a code block that is never closed`);
      break;
    }
    const lang = LANGS[fence[1]!.trim()];
    if (!lang) faults.push(`line ${i + 1}: a code block needs a language this test knows (sh, json or text), not "${fence[1]}"`);
    else blocks.push({ lang, line: i + 1, text: lines.slice(i + 1, close).join('\n'), before: paragraphBefore(lines, i), skip: pendingSkip?.reason });
    pendingSkip = undefined;
    i = close;
  }
  if (pendingSkip) faults.push(`line ${pendingSkip.line}: a skip marker must come right before a code block`);
  if (faults.length) throw new Error(`README.md:\n  ${faults.join('\n  ')}`);
  return blocks;
}

function paragraphBefore(lines: string[], fence: number): string {
  let start = fence;
  while (start > 0 && lines[start - 1]!.trim() === '') start--;
  const end = start;
  while (start > 0 && lines[start - 1]!.trim() !== '') start--;
  return lines.slice(start, end).join('\n');
}
