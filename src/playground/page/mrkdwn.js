// Slack mrkdwn as the playground page shows it: text becomes a tree of nodes that the page turns
// into DOM elements with textContent, never into HTML. Plain JavaScript, so the browser loads it
// as it is; the tests import the same file (types in mrkdwn.d.ts).

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

/** The emoji shortcodes the bot writes, as Slack shows them; any other `:name:` stays as typed. */
export const EMOJI = Object.freeze({
  white_check_mark: '\u2705',
  heavy_check_mark: '\u2714\ufe0f',
  warning: '\u26a0\ufe0f',
  red_circle: '\ud83d\udd34',
  large_green_circle: '\ud83d\udfe2',
  information_source: '\u2139\ufe0f',
  x: '\u274c',
  hourglass_flowing_sand: '\u23f3',
  bell: '\ud83d\udd14',
  no_bell: '\ud83d\udd15',
  wastebasket: '\ud83d\uddd1\ufe0f',
});

const STYLE = { '*': 'bold', _: 'italic', '~': 'strike' };
const WORD = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

/** Undoes Slack's three escapes (`&amp;`, `&lt;`, `&gt;`). */
export function unescapeMrkdwn(text) {
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => ENTITIES[entity]);
}

/** The URL a link may point at: http(s) and mailto only, anything else (javascript:, data:) is no link. */
export function safeHref(url) {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Parses one mrkdwn text (a section, a field, a context element) into nodes. */
export function parseMrkdwn(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/```([\s\S]*?)```/g)) {
    nodes.push(...parseInline(text.slice(last, match.index)));
    nodes.push({ type: 'pre', text: unescapeMrkdwn(match[1].replace(/^\n/, '').replace(/\n$/, '')) });
    last = match.index + match[0].length;
  }
  nodes.push(...parseInline(text.slice(last)));
  return nodes;
}

function parseInline(text) {
  const out = [];
  let plain = '';
  const flush = () => {
    if (plain !== '') out.push({ type: 'text', text: withEmoji(unescapeMrkdwn(plain)) });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      flush();
      out.push({ type: 'break' });
      i += 1;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1 && !text.slice(i + 1, end).includes('\n')) {
        flush();
        out.push({ type: 'code', text: unescapeMrkdwn(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    if (c === '<') {
      const end = text.indexOf('>', i + 1);
      if (end > i + 1) {
        flush();
        out.push(controlSequence(text.slice(i + 1, end)));
        i = end + 1;
        continue;
      }
    }
    if (c in STYLE && opens(text, i)) {
      const end = closing(text, c, i + 1);
      if (end !== -1) {
        flush();
        out.push({ type: STYLE[c], children: parseInline(text.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    }
    plain += c;
    i += 1;
  }
  flush();
  return out;
}

/** A marker opens formatting after a non-word character and before a non-space one, as in Slack. */
function opens(text, at) {
  const before = text[at - 1];
  const after = text[at + 1];
  return (before === undefined || !WORD.test(before)) && after !== undefined && !SPACE.test(after);
}

function closing(text, marker, from) {
  for (let j = from + 1; j < text.length; j += 1) {
    if (text[j] === '\n') return -1;
    if (text[j] !== marker) continue;
    const after = text[j + 1];
    if (!SPACE.test(text[j - 1]) && (after === undefined || !WORD.test(after))) return j;
  }
  return -1;
}

/** `<@U123>`, `<#C123|name>`, `<!here>`, `<url|label>`: what Slack shows for each. */
function controlSequence(inner) {
  const bar = inner.indexOf('|');
  const target = unescapeMrkdwn(bar === -1 ? inner : inner.slice(0, bar));
  const label = bar === -1 ? undefined : unescapeMrkdwn(inner.slice(bar + 1));
  if (target.startsWith('@')) return { type: 'mention', text: `@${label ?? target.slice(1)}` };
  if (target.startsWith('#')) return { type: 'mention', text: `#${label ?? target.slice(1)}` };
  if (target.startsWith('!')) return { type: 'mention', text: label ?? `@${target.slice(1).split('^')[0]}` };
  return { type: 'link', url: target, text: withEmoji(label ?? target) };
}

function withEmoji(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (code, name) => EMOJI[name] ?? code);
}
