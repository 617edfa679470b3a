/**
 * The little Markdown lesson steps use, rendered to React elements (never to HTML strings, so a
 * step cannot inject markup): paragraphs, `-` lists, fenced code, **bold**, *italic*, `code`.
 */
import type { ReactNode } from 'react';

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*]+\*)/g;
  let last = 0;
  let i = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const t = m[0];
    const k = `${key}-${i++}`;
    if (t.startsWith('`')) out.push(<code key={k}>{t.slice(1, -1)}</code>);
    else if (t.startsWith('**')) out.push(<strong key={k}>{t.slice(2, -2)}</strong>);
    else out.push(<em key={k}>{t.slice(1, -1)}</em>);
    last = m.index + t.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  const parts = text.split(/^```[a-z]*\n([\s\S]*?)^```$/m);
  parts.forEach((part, pi) => {
    if (pi % 2 === 1) {
      blocks.push(<pre key={`c${pi}`}>{part}</pre>);
      return;
    }
    part
      .split(/\n\s*\n/)
      .filter((b) => b.trim())
      .forEach((b, bi) => {
        const key = `${pi}-${bi}`;
        const lines = b.trim().split('\n');
        if (lines.every((l) => /^\s*[-*] /.test(l))) {
          blocks.push(
            <ul key={key}>
              {lines.map((l, li) => (
                <li key={li}>{inline(l.replace(/^\s*[-*] /, ''), `${key}-${li}`)}</li>
              ))}
            </ul>,
          );
        } else blocks.push(<p key={key}>{inline(lines.join(' '), key)}</p>);
      });
  });
  return <>{blocks}</>;
}
