// The playground page: shows the bot's Block Kit messages as Slack does, sends typed commands and
// button presses to the playground server. Every value is put into the page with textContent or
// element properties, never as HTML.
import { parseMrkdwn, safeHref } from './mrkdwn.js';

const messages = new Map();
const log = document.getElementById('log');

/** Appends mrkdwn text to `parent` as elements. */
export function appendMrkdwn(parent, text) {
  for (const node of parseMrkdwn(text)) parent.append(mrkdwnNode(node));
  return parent;
}

function mrkdwnNode(node) {
  switch (node.type) {
    case 'text':
      return document.createTextNode(node.text);
    case 'break':
      return document.createElement('br');
    case 'code':
      return element('code', node.text);
    case 'pre':
      return element('pre', node.text);
    case 'mention':
      return element('span', node.text, 'mention');
    case 'link': {
      const href = safeHref(node.url);
      if (!href) return document.createTextNode(node.text);
      const a = element('a', node.text);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
    default: {
      const tag = { bold: 'b', italic: 'i', strike: 's' }[node.type] ?? 'span';
      const styled = document.createElement(tag);
      for (const child of node.children) styled.append(mrkdwnNode(child));
      return styled;
    }
  }
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** A Block Kit text object: mrkdwn parsed, plain_text as it is. */
function textObject(object, className) {
  const el = element('div', undefined, className);
  if (!object) return el;
  if (object.type === 'mrkdwn') appendMrkdwn(el, String(object.text ?? ''));
  else el.textContent = String(object.text ?? '');
  return el;
}

/** Renders the blocks of one message; `press` is called with the button pressed. */
export function renderBlocks(blocks, press) {
  const container = element('div', undefined, 'blocks');
  for (const block of blocks) {
    const el = renderBlock(block, press);
    if (el) {
      el.classList.add('block');
      container.append(el);
    }
  }
  return container;
}

function renderBlock(block, press) {
  switch (block.type) {
    case 'header':
      return textObject(block.text, 'header');
    case 'section': {
      const section = element('div', undefined, 'section');
      if (block.text) section.append(textObject(block.text, 'mrkdwn'));
      if (Array.isArray(block.fields)) {
        const fields = element('div', undefined, 'fields');
        for (const field of block.fields) fields.append(textObject(field, 'field'));
        section.append(fields);
      }
      if (block.accessory?.type === 'button') section.append(actionButtons([block.accessory], block.block_id, press));
      return section;
    }
    case 'context': {
      const context = element('div', undefined, 'context');
      for (const item of block.elements ?? []) context.append(item.type === 'image' ? element('span', String(item.alt_text ?? '')) : textObject(item));
      return context;
    }
    case 'divider':
      return element('hr', undefined, 'divider');
    case 'actions':
      return actionButtons((block.elements ?? []).filter((e) => e.type === 'button'), block.block_id, press);
    default:
      return element('div', `(a ${String(block.type)} block, which the playground does not show)`, 'context');
  }
}

function actionButtons(buttons, blockId, press) {
  const row = element('div', undefined, 'actions');
  for (const button of buttons) {
    const el = element('button', String(button.text?.text ?? ''));
    el.type = 'button';
    if (button.style === 'primary' || button.style === 'danger') el.className = button.style;
    el.dataset.actionId = String(button.action_id ?? '');
    el.addEventListener('click', async () => {
      if (button.url) {
        const href = safeHref(String(button.url));
        if (href) window.open(href, '_blank', 'noopener');
      }
      if (button.confirm && !(await confirmed(button.confirm))) return;
      press({ actionId: String(button.action_id ?? ''), blockId: String(blockId ?? ''), value: button.value === undefined ? undefined : String(button.value), text: String(button.text?.text ?? '') });
    });
    row.append(el);
  }
  return row;
}

/** Shows a button's confirmation dialog as Slack does; resolves true when confirmed. */
function confirmed(confirm) {
  const dialog = document.getElementById('dialog');
  const title = document.getElementById('dialog-title');
  const text = document.getElementById('dialog-text');
  const yes = document.getElementById('dialog-confirm');
  const no = document.getElementById('dialog-deny');
  title.textContent = String(confirm.title?.text ?? 'Are you sure?');
  text.replaceChildren(textObject(confirm.text, 'mrkdwn'));
  yes.textContent = String(confirm.confirm?.text ?? 'Yes');
  no.textContent = String(confirm.deny?.text ?? 'Cancel');
  yes.className = confirm.style === 'danger' ? 'danger' : 'primary';
  dialog.hidden = false;
  return new Promise((resolve) => {
    const close = (answer) => {
      dialog.hidden = true;
      yes.onclick = null;
      no.onclick = null;
      resolve(answer);
    };
    yes.onclick = () => close(true);
    no.onclick = () => close(false);
  });
}

function renderMessage(message) {
  const el = element('article', undefined, 'message');
  el.dataset.id = message.id;
  const meta = element('div', undefined, 'meta');
  meta.append(element('span', message.from === 'you' ? 'you' : 's3-chatops', 'who'));
  meta.append(element('span', message.channelLabel));
  if (message.ephemeral) meta.append(element('span', 'only visible to you', 'tag'));
  if (message.edited) meta.append(element('span', 'edited', 'tag'));
  el.append(meta);
  if (message.from === 'you') {
    el.append(element('div', message.text, 'typed'));
  } else if (Array.isArray(message.blocks) && message.blocks.length > 0) {
    el.append(renderBlocks(message.blocks, (pressed) => send('/action', { messageId: message.id, ...pressed })));
  } else {
    el.append(textObject({ type: 'mrkdwn', text: String(message.text ?? '') }, 'mrkdwn'));
  }
  const replies = element('div', undefined, 'thread');
  replies.dataset.threadOf = message.id;
  el.append(replies);
  return el;
}

function show(message) {
  messages.set(message.id, message);
  const old = log.querySelector(`article[data-id="${CSS.escape(message.id)}"]`);
  if (message.deleted) {
    old?.remove();
    return;
  }
  const fresh = renderMessage(message);
  if (old) {
    const replies = old.querySelector(':scope > .thread');
    if (replies) fresh.querySelector(':scope > .thread').replaceWith(replies);
    old.replaceWith(fresh);
    return;
  }
  const parent = message.parentId ? log.querySelector(`article[data-id="${CSS.escape(message.parentId)}"] > .thread`) : null;
  (parent ?? log).append(fresh);
  log.scrollTop = log.scrollHeight;
}

async function send(path, body) {
  try {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) note(`The playground refused that: ${await response.text()}`);
  } catch (error) {
    note(`The playground did not answer: ${error.message}`);
  }
}

function note(text) {
  log.append(element('div', text, 'message error'));
}

function start() {
  const events = new EventSource('/events');
  events.addEventListener('hello', (event) => {
    const hello = JSON.parse(event.data);
    document.getElementById('about').textContent = hello.about;
  });
  events.addEventListener('message', (event) => show(JSON.parse(event.data)));
  events.addEventListener('error', () => document.getElementById('about').textContent = 'Reconnecting to the playground…');
  const form = document.getElementById('composer');
  const input = document.getElementById('command');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '' || text === '/s3') return;
    void send('/command', { text });
    input.value = '/s3 ';
  });
  input.focus();
}

if (typeof document !== 'undefined' && log) start();
