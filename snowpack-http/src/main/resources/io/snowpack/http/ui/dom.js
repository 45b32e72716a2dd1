// Building the page without innerHTML (every value from the API is text, never markup) and formatting values.

/** An element: h('a', {href: '#/x', class: 'y', dataset: {k: 'v'}, onclick: fn}, 'text', child, [children]). */
export function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** A table: columns [{key, label, sort}], rows of cells (each a Node or a value); row attributes from rowAttrs. */
export function grid(columns, rows, rowAttrs, cell) {
  return h('table', {},
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { dataset: { col: c.key } }, c.label)))),
      h('tbody', {}, rows.length === 0
          ? h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, 'none'))
          : rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {},
              columns.map((c) => h('td', { dataset: { col: c.key }, class: c.numeric ? 'num' : null },
                  cell(row, c.key)))))));
}

/** A whole number with thousands separators; '–' when absent. */
export function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

/** A size in bytes, in B, KiB, MiB, GiB or TiB. */
export function bytes(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
}

/** How long ago an ISO-8601 time was, e.g. '3 min ago'; the exact time is the element's title. */
export function ago(iso) {
  if (!iso) {
    return h('span', { class: 'muted' }, 'never');
  }
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return h('time', { datetime: iso, title: iso }, duration(seconds) + ' ago');
}

/** A number of seconds as '42 s', '5 min', '3 h' or '2 d'. */
export function duration(seconds) {
  if (seconds < 120) {
    return seconds + ' s';
  }
  if (seconds < 7200) {
    return Math.round(seconds / 60) + ' min';
  }
  if (seconds < 172800) {
    return Math.round(seconds / 3600) + ' h';
  }
  return Math.round(seconds / 86400) + ' d';
}

/** A time as local date and time, with the ISO value as title. */
export function time(iso) {
  if (!iso) {
    return h('span', { class: 'muted' }, '–');
  }
  return h('time', { datetime: iso, title: iso }, new Date(iso).toLocaleString('en-GB'));
}

/** A job status as a coloured badge carrying data-status. */
export function status(value) {
  return h('span', { class: 'badge status-' + value, dataset: { status: value } }, value);
}

/** A yes/no value as a badge: green when it is good news (true when trueIsGood), orange otherwise. */
export function flag(value, yes, no, trueIsGood = false) {
  return h('span', { class: 'badge ' + (Boolean(value) === trueIsGood ? 'flag-good' : 'flag-bad') },
      value ? yes : no);
}

/** A list of strings, or '–' when empty. */
export function list(values) {
  return values && values.length ? h('ul', { class: 'plain' }, values.map((v) => h('li', {}, v))) : '–';
}
