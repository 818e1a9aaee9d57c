// The supervisor's 拟办 (drafts) pages: review a document's machine reading before it becomes
// tasks (拟办 → 审核 → 交办, docs/lifecycle.md "Drafts"; API in docs/api.md "Drafts").
//
//   #/drafts        every draft: clauses, doubtful ones, corrections, in review or published
//   #/draft/<doc>   one draft: its clauses in document order, each next to its source text;
//                   the doubtful ones listed first (links into the list); per clause, inline
//                   correction of units and roles, of the deadline, dropping it with a reason
//                   and mapping an unknown unit name to a directory unit; a bulk deadline for
//                   the document or one part; a reporting cycle; one 交办 button behind a
//                   confirmation. Once published the page shows the live document: its tasks
//                   with lights, and the bulk deadline and cycle act on those tasks.
//
// Every correction is one POST (an event naming the supervisor); after it the page reloads the
// draft and redraws only the clauses that changed, so what the officer types elsewhere stays.
import { path, newCommandId } from './api.js';
import { h, clear } from './dom.js';
import { LIGHTS, MODES, ROLES, lightBadge, statusBadge, deadlineText } from './format.js';
import { rememberTask } from './tasklabel.js';

// The styles of these pages live in their own file, loaded with the first drafts page.
function ensureStyles() {
  if (document.getElementById('drafts-css')) return;
  document.head.append(h('link', { id: 'drafts-css', rel: 'stylesheet', href: '/app/drafts.css' }));
}

// The server's refusals (error codes of docs/api.md) in the officer's words; the server's own
// message follows in small print for whoever has to look into it.
const ERRORS = {
  network: '无法连接服务器，请检查网络后重试。',
  forbidden: '无权操作：只有督办机关可以审核拟办。',
  not_found: '未找到该拟办或条款，可能已被他人删除或合并，请刷新。',
  invalid_command: '更正未被接受，请检查填写的内容。',
  illegal_transition: '该文件已交办，拟办不能再更正。',
  bad_request: '请求格式有误。',
  version_conflict: '内容已被他人修改，请刷新后重试。',
  unauthorized: '登录已失效，请重新登录。',
};

// Known server messages (model/draft/decide.cpp, service/drafts.cpp), so the main line can say
// exactly what to fix.
const MESSAGES = [
  [/without a lead unit cannot become tasks/i, '有条款没有牵头单位，不能交办：请为其指定单位或将其删除。'],
  [/at least one lead unit/i, '每个条款至少需要一个牵头单位。'],
  [/no unit of the directory|map the name to a directory unit/i, '所选单位不在单位目录中。'],
  [/not an ISO date/i, '期限格式有误，应为“年-月-日”。'],
  [/already has label/i, '条款编号与本部分其他条款重复。'],
  [/reason is required/i, '请填写理由。'],
];

function errorText(e) {
  const special = MESSAGES.find(([re]) => re.test(e?.message || ''));
  const main = (e?.code === 'invalid_command' || e?.code === 'bad_request') && special
    ? special[1] : ERRORS[e?.code] || '操作未成功。';
  return { main, detail: e?.message || String(e) };
}

function alertBox(e) {
  const { main, detail } = errorText(e);
  return h('p', { class: 'alert', role: 'alert' }, main,
    detail ? h('span', { class: 'alert-detail' }, '（服务器说明：', detail, '）') : '');
}

function showError(el, e) {
  clear(el).append(alertBox(e));
  el.hidden = false;
}

// Parser reasons (gazette::Clause::why, model/gazette/parser.cpp) in Chinese where the wording
// is known; a reason added later shows as the parser wrote it.
const WHY = [
  [/^unit not in directory: (.*)$/, (m) => `单位目录中没有“${m[1]}”`],
  [/^not shaped like a unit name: (.*)$/, (m) => `“${m[1]}”不像单位名称`],
  [/^unit-shaped text not read as a unit: (.*)$/, (m) => `疑似单位名称未读作单位：${m[1]}`],
  [/^no role word; role taken from the next segment$/, () => '未写明牵头或参与，角色按下一段推定'],
  [/^units after the last role word taken as participants$/, () => '最后一个角色词之后的单位按参与单位处理'],
  [/^parenthetical never closed$/, () => '括号未闭合'],
  [/^one of several notes in the item$/, () => '本项有多处责任单位注释，只取其一'],
  [/^responsibility from a standing instruction earlier in the part$/, () => '责任单位取自本部分前文的统一要求'],
  [/^duties listed under a heading naming the unit$/, () => '职责列在以单位为标题的段落下'],
  [/^implicit duty$/, () => '未明确写出的职责（推断）'],
  [/^unit cell empty; units taken from the row above \(merged cell\)$/, () => '表格单位栏为空，取自上一行（合并单元格）'],
];

function whyText(why) {
  for (const [re, text] of WHY) {
    const m = re.exec(why);
    if (m) return text(m);
  }
  return why;
}

const isUnknown = (u) => !u.unit || u.unit.startsWith('unknown:');

// A clause needs a look when the server calls it doubtful (low confidence, not yet corrected),
// or, uncorrected, when the parser gave reasons or named a unit the directory lacks.
function needsReview(c) {
  return c.doubtful || (!c.corrected && (c.why.length > 0 || c.units.some(isUnknown)));
}

function reviewList(d) {
  const byKey = new Map(d.clauses.map((c) => [c.key, c]));
  return d.review_order.map((k) => byKey.get(k)).filter((c) => c && needsReview(c));
}

function fetchDraft(app, doc) {
  return app.api.get(path('drafts', doc));
}

// --- #/drafts ---------------------------------------------------------------------------------

export function renderDrafts(app, container) {
  ensureStyles();
  const body = h('div', {}, h('p', { class: 'muted' }, '加载中…'));
  container.append(h('section', { class: 'drafts' },
    h('div', { class: 'page-head' }, h('h1', {}, '拟办'),
      h('p', { class: 'muted small' }, '机器读出的文件分工，经督办机关审核更正后交办。待核条款数为需要人工确认的条款。')),
    body));
  let timer = null;
  let disposed = false;

  async function load() {
    let rows;
    try {
      rows = (await app.api.get('/drafts')).drafts;
    } catch (e) {
      clear(body).append(alertBox(e));
      return;
    }
    if (disposed) return;
    if (rows.length === 0) {
      clear(body).append(h('p', { class: 'empty card' },
        '暂无拟办。以“审核后交办”方式登记文件（duban ingest 文件 --review）后，文件会出现在这里。'));
      return;
    }
    // In review first, the busiest first; published ones after.
    rows.sort((a, b) => a.published - b.published || b.clauses - a.clauses || a.document.localeCompare(b.document, 'zh-CN'));
    clear(body).append(h('div', { class: 'table-wrap' }, h('table', { class: 'tasks draft-table' },
      h('thead', {}, h('tr', {}, ['文件', '标题', '条款', '待核', '更正', '状态'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', { dataset: { document: r.document, published: r.published } },
        h('td', { 'data-label': '文件', class: 'cell-doc' }, r.document),
        h('td', { 'data-label': '标题' }, h('a', { href: '#/draft/' + encodeURIComponent(r.document) }, r.title || r.document)),
        h('td', { 'data-label': '条款' }, r.clauses),
        h('td', { 'data-label': '待核', class: r.doubtful ? 'num-red' : '' }, r.doubtful),
        h('td', { 'data-label': '更正' }, r.corrections),
        h('td', { 'data-label': '状态' }, r.published
          ? h('span', { class: 'status status-closed' }, `已交办 · ${r.tasks} 项任务`)
          : h('span', { class: 'status status-in_progress' }, '审核中'))))))));
  }

  load();
  return {
    onEvent(e) {
      if (e.type === 'resync' || /^Draft|^UnitNameMapped/.test(e.event_type || '')) {
        clearTimeout(timer);
        timer = setTimeout(() => { if (!disposed) load(); }, 300);
      }
    },
    dispose() { disposed = true; clearTimeout(timer); },
  };
}

// --- #/draft/<doc> ----------------------------------------------------------------------------

export function renderDraft(app, container, doc) {
  ensureStyles();
  const root = h('section', { class: 'draft-view' }, h('p', { class: 'muted' }, '加载中…'));
  container.append(root);
  let draft = null;
  let disposed = false;
  const cards = new Map(); // clause key -> its <article>

  // This page's own writes, so that their echo on the live connection is not taken for someone
  // else's: a correction carries its command id (the event carries it back); a call without one
  // (mapping a name, 交办) silences draft events while in flight and for a moment after. Any
  // other draft event means someone else changed the draft (another officer, the CLI): the
  // page says so and offers to re-read, rather than redraw under the officer's hands.
  const mine = new Set();
  let idlessCalls = 0;
  let quietUntil = 0;
  async function post(p, body) {
    if (body?.command_id) {
      mine.add(body.command_id);
      return app.api.post(p, body);
    }
    idlessCalls += 1;
    try {
      return await app.api.post(p, body);
    } finally {
      idlessCalls -= 1;
      quietUntil = Date.now() + 1500;
    }
  }
  const othersChange = (e) => e.stream === 'draft/' + doc && !mine.has(e.command_id) &&
    idlessCalls === 0 && Date.now() > quietUntil;
  const stale = h('p', { class: 'notice stale', id: 'draft-stale', hidden: true, role: 'status' },
    '本拟办刚被其他操作更改（他人或命令行）。',
    h('button', {
      type: 'button', class: 'link', id: 'draft-reload',
      onclick: async () => {
        stale.hidden = true;
        try { await refresh(); } catch (e) { stale.after(alertBox(e)); }
      },
    }, '重新读取'));
  // Chosen here, applied right after 交办 (they act on tasks): the reporting cycle, and
  // "N working days after 交办" for the clauses still without a deadline then.
  const state = { cycle: 'none', days: null };

  // The directory sorted once per page (a collator, not localeCompare: hundreds of clauses).
  let sortedUnits = null;
  const units = () => {
    if (!sortedUnits) {
      const collator = new Intl.Collator('zh-CN');
      sortedUnits = [...app.units.values()].sort((a, b) => collator.compare(a.name, b.name));
    }
    return sortedUnits;
  };
  const unitOptions = (selected) => units().map((u) => h('option', { value: u.id, selected: u.id === selected }, u.name));

  async function load() {
    try {
      draft = await fetchDraft(app, doc);
    } catch (e) {
      clear(root).append(h('nav', { class: 'crumbs' }, h('a', { href: '#/drafts' }, '拟办'), ' › ', doc), alertBox(e));
      return;
    }
    if (disposed) return;
    if (draft.published) drawPublished();
    else drawReview();
  }

  // Re-reads the draft after a correction; redraws the clauses whose reading changed (a split
  // or merge adds and removes some), keeps the others' cards as they are (with whatever is
  // typed in them), puts all in document order and refreshes the counts and the doubtful list.
  async function refresh(focusKey) {
    // A card shows its clause and offers to merge with the next one: both make its signature.
    const signature = (clauses, c, i) => JSON.stringify(c) + '|' + (clauses[i + 1]?.key || '');
    const before = new Map(draft.clauses.map((c, i, all) => [c.key, signature(all, c, i)]));
    draft = await fetchDraft(app, doc);
    if (disposed) return;
    if (draft.published) return drawPublished();
    stale.hidden = true; // whatever others did is read now
    const now = new Set(draft.clauses.map((c) => c.key));
    for (const [key, card] of cards) if (!now.has(key)) { card.remove(); cards.delete(key); }
    const list = root.querySelector('.clause-list');
    let previous = null;
    for (const [i, c] of draft.clauses.entries()) {
      let card = cards.get(c.key);
      if (!card || before.get(c.key) !== signature(draft.clauses, c, i)) {
        const fresh = clauseCard(c);
        if (card) card.replaceWith(fresh);
        card = fresh;
        cards.set(c.key, card);
      }
      // Move only what is out of place, so unchanged cards are not even reinserted.
      const want = previous ? previous.nextSibling : list.firstChild;
      if (want !== card) list.insertBefore(card, want);
      previous = card;
    }
    drawHeadParts();
    if (focusKey && cards.has(focusKey)) cards.get(focusKey).classList.add('just-saved');
  }

  // POST one correction; the result line of the card says what happened.
  async function correct(key, body, result, button) {
    if (button) button.disabled = true;
    try {
      await post(path('drafts', doc, 'corrections'), { command_id: newCommandId(), ...body });
      await refresh(key);
      const card = cards.get(key);
      const line = card?.querySelector('.clause-result');
      if (line) { line.textContent = '已保存。'; line.className = 'clause-result ok'; line.hidden = false; }
    } catch (e) {
      showError(result, e);
    } finally {
      if (button) button.disabled = false;
    }
  }

  // --- head: title, counts, the doubtful list, bulk tools, 交办 ---------------------------------

  const head = h('div');
  const counts = h('div', { class: 'summary draft-summary' });
  const doubtBox = h('section', { class: 'card doubt-box', id: 'doubtful' });

  function stat(label, value, key) {
    return h('div', { class: `stat stat-${key}`, dataset: { stat: key } },
      h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
  }

  function drawHeadParts() {
    const review = reviewList(draft);
    clear(counts).append(
      stat('条款', draft.clauses.length, 'clauses'),
      stat('待核', review.length, 'doubtful'),
      stat('已更正', draft.corrections, 'corrections'),
      stat('未设期限', draft.clauses.filter((c) => !c.deadline).length, 'no-deadline'));
    clear(doubtBox).append(h('h2', {}, '待核条款', h('span', { class: 'muted small' }, '（把握不足、机读有疑问或含未识别单位，按把握从低到高）')));
    if (review.length === 0) {
      doubtBox.append(h('p', { class: 'muted small ok-line' }, '没有待核条款。仍请逐条浏览分工后交办。'));
    } else {
      doubtBox.append(h('ol', { class: 'doubt-list' }, review.map((c) => h('li', { dataset: { key: c.key } },
        h('a', { href: '#', onclick: (e) => { e.preventDefault(); jumpTo(c.key); } }, c.label || c.key, ' ', c.heading),
        h('span', { class: 'muted small' }, ` 把握 ${Math.round(c.confidence * 100)}%`,
          c.why.length ? ' · ' + c.why.map(whyText).join('；') : '')))));
      doubtBox.append(h('button', { type: 'button', class: 'secondary', id: 'next-doubtful', onclick: () => jumpTo(review[0].key) }, '从第一条待核条款开始'));
    }
  }

  // The review clause after `key` in review order (wrapping round), from the current reading.
  function nextDoubtful(key) {
    const keys = reviewList(draft).map((c) => c.key);
    if (keys.length === 0) return;
    const i = keys.indexOf(key);
    jumpTo(keys[(i + 1) % keys.length]);
  }

  function jumpTo(key) {
    const card = cards.get(key);
    if (!card) return;
    card.scrollIntoView({ block: 'start' });
    card.classList.remove('flash');
    void card.offsetWidth; // restart the highlight
    card.classList.add('flash');
    card.querySelector('select, input, button')?.focus({ preventScroll: true });
  }

  function bulkDeadlineForm(published) {
    const result = h('div', { class: 'bulk-result', hidden: true, role: 'status' });
    const date = h('input', { type: 'date', name: 'deadline', 'aria-label': '统一期限' });
    const days = h('input', { type: 'number', name: 'working_days', min: 1, placeholder: '如 30', 'aria-label': '交办后工作日数', class: 'days' });
    const part = h('select', { name: 'part', 'aria-label': '范围' }, h('option', { value: '' }, '全文'),
      (draft.parts || []).map((p) => h('option', { value: p }, p.length > 24 ? p.slice(0, 24) + '…' : p)));
    const onlyMissing = h('input', { type: 'checkbox', name: 'only_missing', checked: true });
    const button = h('button', { type: 'submit', class: 'primary' }, '设定期限');
    const form = h('form', {
      class: 'bulk-form', id: 'bulk-deadline',
      onsubmit: async (e) => {
        e.preventDefault();
        result.hidden = true;
        if (!date.value === !days.value || (days.value && !(Number(days.value) >= 1))) {
          clear(result).append(h('p', { class: 'alert', role: 'alert' }, '请选择期限日期，或填写交办后的工作日数（二者选一）。'));
          result.hidden = false;
          return;
        }
        if (!published && days.value) {
          state.days = { n: Number(days.value), part: part.value };
          clear(result).append(h('p', { class: 'notice' },
            `交办时，${part.value || '全文'}届时仍无期限的条款将定为交办后 ${state.days.n} 个工作日。`));
          result.hidden = false;
          return;
        }
        button.disabled = true;
        try {
          if (published) await bulkOnTasks(result, { date: date.value, days: days.value, part: part.value, onlyMissing: onlyMissing.checked });
          else await bulkOnDraft(result, { date: date.value, part: part.value, onlyMissing: onlyMissing.checked });
        } finally {
          button.disabled = false;
        }
      },
    },
    h('label', { class: 'field' }, '期限', date),
    h('label', { class: 'field' }, published ? '或 交办后工作日' : '或 交办后工作日（交办时设定）', days),
    h('label', { class: 'field' }, '范围', part),
    h('label', { class: 'check' }, onlyMissing, ' 仅未设期限的条款'),
    button);
    return h('section', { class: 'card bulk' }, h('h2', {}, '统一期限'),
      h('p', { class: 'muted small' }, published
        ? '为本文件（或某一部分）尚无期限的任务统一设定期限；每项任务记为一次“设定期限”。'
        : '为本文件（或某一部分）尚无期限的条款统一设定期限；每条记为一次拟办更正，交办时带入任务。“交办后工作日”按工作日历计算，在交办时为仍无期限的任务设定。'),
      form, result);
  }

  // Draft: one deadline correction per clause in scope (each an event with the supervisor).
  async function bulkOnDraft(result, { date, part, onlyMissing }) {
    try {
      await refresh(); // what others changed meanwhile (a clause dropped elsewhere)
    } catch (e) {
      showError(result, e);
      return;
    }
    const targets = draft.clauses.filter((c) => (!part || c.part === part) && (!onlyMissing || !c.deadline) && c.deadline !== date);
    if (targets.length === 0) {
      clear(result).append(h('p', { class: 'notice' }, '范围内的条款都已有期限，未作更改。'));
      result.hidden = false;
      return;
    }
    const progress = h('p', { class: 'notice' }, `正在设定 0 / ${targets.length}…`);
    clear(result).append(progress);
    result.hidden = false;
    let done = 0;
    try {
      for (const c of targets) {
        await post(path('drafts', doc, 'corrections'), {
          command_id: newCommandId(), kind: 'deadline', clause: c.key, deadline: date,
          reason: `统一期限 ${date}（${part || '全文'}）`,
        });
        progress.textContent = `正在设定 ${++done} / ${targets.length}…`;
      }
      progress.textContent = `已为 ${done} 条条款设定期限 ${date}。`;
    } catch (e) {
      result.append(alertBox(e), h('p', { class: 'muted small' }, `已设定 ${done} 条，其余未设定。`));
    }
    await refresh();
  }

  // Published: the bulk deadline endpoint over the live tasks.
  async function bulkOnTasks(result, { date, days, part, onlyMissing }) {
    const body = { only_missing: onlyMissing };
    if (date) body.default = date; else body.working_days = Number(days);
    if (part) body.part = part;
    try {
      const r = await post(path('documents', doc, 'deadlines'), body);
      clear(result).append(h('p', { class: 'notice' }, `已为 ${r.set.length} 项任务设定期限；${r.kept} 项原有期限保留，${r.not_open} 项已办结或撤销。`));
      result.hidden = false;
      await loadLive();
    } catch (e) {
      showError(result, e);
    }
  }

  function cycleForm(published) {
    const result = h('div', { hidden: true, role: 'status' });
    const select = h('select', { name: 'cycle', 'aria-label': '报送周期', onchange: (e) => { state.cycle = e.target.value; } },
      [['none', '不要求定期报送'], ['monthly', '每月报送进展'], ['quarterly', '每季度报送进展']].map(([v, t]) =>
        h('option', { value: v, selected: state.cycle === v }, t)));
    const part = h('select', { name: 'part', 'aria-label': '范围' }, h('option', { value: '' }, '全文'),
      (draft.parts || []).map((p) => h('option', { value: p }, p.length > 24 ? p.slice(0, 24) + '…' : p)));
    const children = [h('label', { class: 'field' }, '报送周期', select)];
    if (published) {
      const button = h('button', { type: 'submit', class: 'primary' }, '设定周期');
      children.push(h('label', { class: 'field' }, '范围', part), button);
      return h('section', { class: 'card bulk' }, h('h2', {}, '报送周期'),
        h('p', { class: 'muted small' }, '承办单位按周期报送进展；到期未报的，定时检查会记为“进展逾期未报”。'),
        h('form', {
          class: 'bulk-form', id: 'bulk-cycle',
          onsubmit: async (e) => {
            e.preventDefault();
            button.disabled = true;
            try {
              const body = { cycle: select.value, reason: '统一报送周期' };
              if (part.value) body.part = part.value;
              const r = await post(path('documents', doc, 'reporting-cycle'), body);
              clear(result).append(h('p', { class: 'notice' }, `已为 ${r.set.length} 项任务设定报送周期；${r.kept} 项原已如此。`));
              result.hidden = false;
            } catch (err) {
              showError(result, err);
            } finally {
              button.disabled = false;
            }
          },
        }, children), result);
    }
    return h('section', { class: 'card bulk' }, h('h2', {}, '报送周期'),
      h('p', { class: 'muted small' }, '交办时为全部任务设定；交办后也可在本页按部分调整。'),
      h('div', { class: 'bulk-form', id: 'bulk-cycle' }, children));
  }

  function publishBox() {
    const result = h('div', { id: 'publish-result', hidden: true });
    const dialog = h('dialog', { class: 'confirm', id: 'publish-dialog' });
    const button = h('button', { type: 'button', class: 'primary publish', id: 'publish', onclick: () => openConfirm() }, '交办');

    function openConfirm() {
      const review = reviewList(draft);
      const leads = new Set(draft.clauses.flatMap((c) => c.units.filter((u) => !isUnknown(u)).map((u) => u.unit)));
      const noLead = draft.clauses.filter((c) => !c.units.some((u) => u.role === 'lead' && !isUnknown(u)));
      const cycleName = { none: '不要求定期报送', monthly: '每月报送进展', quarterly: '每季度报送进展' }[state.cycle];
      const confirm = h('button', { type: 'button', class: 'primary', id: 'publish-confirm' }, '确认交办');
      clear(dialog).append(
        h('h2', {}, '确认交办'),
        h('p', {}, `《${draft.title}》的 ${draft.clauses.length} 条条款将成为任务，交给 ${leads.size} 个单位办理。交办后各单位即在收件箱中看到任务。`),
        h('ul', { class: 'confirm-facts' },
          h('li', {}, `未设期限：${draft.clauses.filter((c) => !c.deadline).length} 条`),
          h('li', {}, `报送周期：${cycleName}`),
          h('li', {}, `佐证材料：${draft.evidence_required ? '办结须附佐证材料' : '不强制'}`),
          state.days ? h('li', {}, `${state.days.part || '全文'}仍无期限的：交办后 ${state.days.n} 个工作日`) : '',
          review.length ? h('li', { class: 'warn' }, `仍有 ${review.length} 条待核条款未处理`) : '',
          noLead.length ? h('li', { class: 'warn' }, `${noLead.length} 条条款没有目录中的牵头单位：请先指定单位或删除这些条款`) : ''),
        h('div', { class: 'confirm-actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, '取消'), confirm));
      confirm.onclick = async () => {
        confirm.disabled = true;
        await publish(result);
        confirm.disabled = false;
        dialog.close();
      };
      dialog.showModal();
    }

    return h('section', { class: 'card publish-box' }, h('h2', {}, '交办'),
      h('p', { class: 'muted small' }, '审核完毕后一次交办：所有条款转为任务，文件即生效。'),
      evidenceToggle(), button, result, dialog);
  }

  // Whether completions of this document's tasks must carry evidence (佐证材料): recorded in the
  // draft at once (PUT …/evidence), given to every task at 交办.
  function evidenceToggle() {
    const result = h('div', { id: 'evidence-result', hidden: true, role: 'status' });
    const box = h('input', {
      type: 'checkbox', id: 'evidence-required', name: 'evidence_required', checked: !!draft.evidence_required,
      onchange: async () => {
        box.disabled = true;
        result.hidden = true;
        const required = box.checked;
        const body = { required, reason: required ? '办结须附佐证材料' : '不再强制佐证材料', command_id: newCommandId() };
        mine.add(body.command_id);
        try {
          await app.api.put(path('drafts', doc, 'evidence'), body);
          draft.evidence_required = required;
        } catch (e) {
          box.checked = !required;
          showError(result, e);
        } finally {
          box.disabled = false;
        }
      },
    });
    return h('div', { class: 'evidence-rule' },
      h('label', { class: 'check' }, box, ' 办结报告须附佐证材料'),
      h('p', { class: 'muted small' }, '勾选后，交办的任务报告办结时至少附一个文件，否则不予受理。'), result);
  }

  async function publish(result) {
    result.hidden = true;
    let r;
    try {
      r = await post(path('drafts', doc, 'publish'), {});
    } catch (e) {
      showError(result, e);
      return;
    }
    // What was chosen for 交办 acts on the new tasks now; a refusal is shown, the tasks stay.
    const afterErrors = [];
    if (state.cycle !== 'none' && r.tasks.length) {
      try {
        await post(path('documents', doc, 'reporting-cycle'), { cycle: state.cycle, reason: '交办时设定报送周期' });
      } catch (e) {
        afterErrors.push(e);
      }
    }
    if (state.days && r.tasks.length) {
      const body = { working_days: state.days.n, only_missing: true, reason: `交办后 ${state.days.n} 个工作日` };
      if (state.days.part) body.part = state.days.part;
      try {
        await post(path('documents', doc, 'deadlines'), body);
      } catch (e) {
        afterErrors.push(e);
      }
    }
    await load();
    const notice = root.querySelector('#published-notice');
    if (notice) {
      notice.textContent = r.already_published ? '该文件此前已交办，未重复交办。' : `已交办：新建任务 ${r.tasks_created} 项。`;
      for (const e of afterErrors) notice.after(alertBox(e));
    }
  }

  function drawReview() {
    cards.clear();
    const list = h('div', { class: 'clause-list' });
    for (const c of draft.clauses) {
      const card = clauseCard(c);
      cards.set(c.key, card);
      list.append(card);
    }
    clear(head).append(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/drafts' }, '拟办'), ' › ', draft.number || draft.document),
      h('div', { class: 'page-head' },
        h('h1', { class: 'doc-h1' }, draft.title, ' ', h('span', { class: 'status status-in_progress' }, '审核中')),
        h('p', { class: 'muted small' }, [draft.number, draft.issuer, draft.signed_date, `第 ${draft.version} 版`].filter(Boolean).join(' · '))));
    drawHeadParts();
    stale.hidden = true;
    clear(root).append(head, counts, stale,
      h('div', { class: 'draft-grid' },
        h('div', { class: 'draft-main' }, doubtBox,
          h('div', { class: 'list-head' },
            h('h2', { class: 'list-title' }, '逐条审核', h('span', { class: 'muted small' }, '（按文件顺序，左为原文，右为分工）')),
            h('label', { class: 'check' }, h('input', {
              type: 'checkbox', id: 'only-doubtful',
              onchange: (e) => list.classList.toggle('only-doubtful', e.target.checked),
            }), ' 只看待核条款')),
          list, addForm()),
        h('aside', { class: 'draft-side' }, publishBox(), bulkDeadlineForm(false), cycleForm(false))));
  }

  // A clause the parser missed: its label, text and source lines, the part, a lead unit and an
  // optional deadline (an "add" correction). It takes its place by its first line.
  function addForm() {
    const result = h('div', { hidden: true, role: 'status' });
    const label = h('input', { type: 'text', name: 'label', placeholder: '如 (二十一)', 'aria-label': '编号' });
    const text = h('textarea', { name: 'text', rows: 4, 'aria-label': '条款原文' });
    const line = h('input', { type: 'number', name: 'line', min: 1, 'aria-label': '起始行' });
    const endLine = h('input', { type: 'number', name: 'end_line', min: 1, 'aria-label': '结束行' });
    const part = h('select', { name: 'part', 'aria-label': '所属部分' },
      (draft.parts || []).map((p) => h('option', { value: p }, p.length > 30 ? p.slice(0, 30) + '…' : p)));
    const lead = h('select', { name: 'lead', 'aria-label': '牵头单位' }, h('option', { value: '' }, '选择牵头单位…'), unitOptions(''));
    const deadline = h('input', { type: 'date', name: 'deadline', 'aria-label': '期限' });
    const button = h('button', { type: 'submit', class: 'primary' }, '补充条款');
    const fail = (t) => { clear(result).append(h('p', { class: 'alert', role: 'alert' }, t)); result.hidden = false; };
    const form = h('form', {
      class: 'add-form', id: 'add-clause',
      onsubmit: async (e) => {
        e.preventDefault();
        result.hidden = true;
        const first = Number(line.value);
        const last = endLine.value ? Number(endLine.value) : first;
        if (!label.value.trim() || !text.value.trim()) return fail('请填写编号和条款原文。');
        if (!(first >= 1) || !(last >= first)) return fail('请填写原文所在的行（结束行不小于起始行）。');
        if (!lead.value) return fail('请选择牵头单位。');
        const body = {
          command_id: newCommandId(), kind: 'add', label: label.value.trim(), text: text.value.trim(),
          line: first, end_line: last, units: [{ unit: lead.value, role: 'lead' }], reason: '审核补充遗漏条款',
        };
        if (part.value) body.part = part.value;
        if (deadline.value) body.deadline = deadline.value;
        button.disabled = true;
        try {
          await post(path('drafts', doc, 'corrections'), body);
          const known = new Set(draft.clauses.map((c) => c.key));
          await refresh();
          const added = draft.clauses.find((c) => !known.has(c.key));
          form.reset();
          clear(result).append(h('p', { class: 'notice' }, `已补充条款 ${added?.label || ''}。`));
          result.hidden = false;
          if (added) jumpTo(added.key);
        } catch (err) {
          showError(result, err);
        } finally {
          button.disabled = false;
        }
      },
    },
    h('div', { class: 'add-row' }, h('label', { class: 'field' }, '编号', label),
      h('label', { class: 'field' }, '起始行', line), h('label', { class: 'field' }, '结束行', endLine)),
    h('label', { class: 'field' }, '条款原文', text),
    h('div', { class: 'add-row' }, h('label', { class: 'field' }, '所属部分', part),
      h('label', { class: 'field' }, '牵头单位', lead), h('label', { class: 'field' }, '期限（可不填）', deadline)),
    button);
    return h('details', { class: 'card add-clause' }, h('summary', {}, '补充机器漏读的条款…'), form, result);
  }

  // --- one clause ---------------------------------------------------------------------------------

  function clauseCard(c) {
    const review = needsReview(c);
    const result = h('div', { class: 'clause-result', hidden: true, role: 'status' });
    const card = h('article', {
      class: ['draft-clause', 'card', review ? 'doubtful' : '', c.corrected ? 'corrected' : ''].join(' '),
      id: 'clause-' + c.key, dataset: { key: c.key, doubtful: review, label: c.label },
    },
    h('div', { class: 'clause-source' },
      h('div', { class: 'clause-head' },
        h('span', { class: 'clause-label' }, c.label || '（无编号）'), ' ', h('strong', {}, c.heading),
        review ? h('span', { class: 'flag-doubt', title: '待核' }, '待核') : '',
        c.corrected ? h('span', { class: 'flag-corrected' }, '已更正') : ''),
      h('p', { class: 'muted small source-meta' }, c.part, ` · 第 ${c.line}${c.end_line > c.line ? '–' + c.end_line : ''} 行`,
        ` · 把握 ${Math.round(c.confidence * 100)}%`),
      h('p', { class: 'source-text' }, c.text),
      c.why.length ? h('ul', { class: 'why' }, c.why.map((w) => h('li', {}, whyText(w)))) : '',
      review ? h('button', { type: 'button', class: 'link next-doubt', onclick: () => nextDoubtful(c.key) }, '下一条待核 ›') : ''),
    h('div', { class: 'clause-reading' },
      unitsEditor(c, result),
      deadlineEditor(c, result),
      moreEditor(c, result),
      dropEditor(c, result),
      result));
    return card;
  }

  function unitsEditor(c, result) {
    // Working copy: edited in place, sent as one "units" correction.
    const rows = c.units.map((u) => ({ ...u }));
    const list = h('ul', { class: 'unit-edit' });
    const save = h('button', { type: 'button', class: 'secondary save-units', disabled: true }, '保存分工');
    const dirty = () => { save.disabled = false; };

    function draw() {
      clear(list);
      rows.forEach((u, i) => {
        if (isUnknown(u)) {
          const pick = h('select', { 'aria-label': `“${u.mention}”对应的目录单位`, class: 'map-select' },
            h('option', { value: '' }, '对应到目录单位…'), unitOptions(''));
          const map = h('button', {
            type: 'button', class: 'secondary map-unit',
            onclick: async () => {
              if (!pick.value) {
                clear(result).append(h('p', { class: 'alert', role: 'alert' }, '请先选择目录中的单位。'));
                result.hidden = false;
                return;
              }
              map.disabled = true;
              try {
                await post('/unit-names', { name: u.mention, unit: pick.value, draft: doc });
                await refresh(c.key);
              } catch (e) {
                showError(result, e);
              } finally {
                map.disabled = false;
              }
            },
          }, '记住对应');
          list.append(h('li', { class: 'unit-row unknown', dataset: { mention: u.mention } },
            h('span', { class: 'unit-name' }, h('span', { class: 'flag-doubt' }, '未识别'), ' ', u.mention),
            pick, map,
            h('button', { type: 'button', class: 'link remove-unit', onclick: () => { rows.splice(i, 1); dirty(); draw(); } }, '移除')));
          return;
        }
        const role = h('select', {
          'aria-label': `${app.unitName(u.unit)}的角色`, class: 'role-select',
          onchange: (e) => { u.role = e.target.value; dirty(); },
        }, Object.entries(ROLES).map(([k, v]) => h('option', { value: k, selected: u.role === k }, v)));
        list.append(h('li', { class: 'unit-row', dataset: { unit: u.unit } },
          h('span', { class: 'unit-name' }, app.unitName(u.unit),
            u.mention && u.mention !== app.unitName(u.unit) ? h('span', { class: 'muted small' }, `（原文：${u.mention}）`) : ''),
          role,
          h('button', { type: 'button', class: 'link remove-unit', onclick: () => { rows.splice(i, 1); dirty(); draw(); } }, '移除')));
      });
      // Adding a unit: the directory list is built only when asked for (long lists × many clauses).
      const add = h('button', {
        type: 'button', class: 'link add-unit',
        onclick: () => {
          const pick = h('select', {
            'aria-label': '添加单位', class: 'add-select',
            onchange: (e) => {
              const id = e.target.value;
              if (id && !rows.some((u) => u.unit === id)) {
                rows.push({ mention: app.unitName(id), unit: id, role: rows.some((u) => u.role === 'lead') ? 'participant' : 'lead' });
                dirty();
              }
              draw();
            },
          }, h('option', { value: '' }, '选择单位…'), unitOptions(''));
          add.replaceWith(pick);
          pick.focus();
        },
      }, '＋ 添加单位');
      list.append(h('li', { class: 'unit-add' }, add));
    }

    save.onclick = () => {
      result.hidden = true;
      if (rows.some(isUnknown)) {
        clear(result).append(h('p', { class: 'alert', role: 'alert' }, '还有未识别的单位：请先“记住对应”到目录单位，或将其移除。'));
        result.hidden = false;
        return;
      }
      if (!rows.some((u) => u.role === 'lead')) {
        clear(result).append(h('p', { class: 'alert', role: 'alert' }, '每个条款至少需要一个牵头单位。'));
        result.hidden = false;
        return;
      }
      correct(c.key, { kind: 'units', clause: c.key, units: rows.map((u) => ({ unit: u.unit, role: u.role })), reason: '审核更正分工' }, result, save);
    };
    draw();
    // How the leads share the task (a separate "mode" correction, sent at once).
    const mode = h('select', {
      'aria-label': '分工方式', class: 'mode-select',
      onchange: (e) => correct(c.key, { kind: 'mode', clause: c.key, mode: e.target.value, reason: '审核更正分工方式' }, result, null),
    }, Object.entries(MODES).map(([k, v]) => h('option', { value: k, selected: c.mode === k }, v)));
    return h('div', { class: 'reading-block' },
      h('h3', {}, '承办单位', mode), list, save);
  }

  function deadlineEditor(c, result) {
    const input = h('input', { type: 'date', value: c.deadline || '', 'aria-label': '期限', class: 'deadline-input' });
    const save = h('button', {
      type: 'button', class: 'secondary save-deadline',
      onclick: () => {
        result.hidden = true;
        if (!input.value) {
          clear(result).append(h('p', { class: 'alert', role: 'alert' }, '请选择期限日期；要取消期限请点“清除”。'));
          result.hidden = false;
          return;
        }
        correct(c.key, { kind: 'deadline', clause: c.key, deadline: input.value, reason: '审核设定期限' }, result, save);
      },
    }, '保存期限');
    const clearButton = c.deadline ? h('button', {
      type: 'button', class: 'link',
      onclick: () => correct(c.key, { kind: 'deadline', clause: c.key, deadline: null, reason: '审核取消期限' }, result, null),
    }, '清除') : '';
    return h('div', { class: 'reading-block' }, h('h3', {}, '期限'),
      h('div', { class: 'deadline-line' }, input, save, clearButton),
      c.deadline_text && c.deadline_text !== c.deadline ? h('p', { class: 'muted small' }, `原文：${c.deadline_text}`) : '');
  }

  function dropEditor(c, result) {
    const reason = h('input', { type: 'text', name: 'reason', placeholder: '如：表述性条款，无需督办', 'aria-label': '删除理由' });
    const button = h('button', { type: 'submit', class: 'danger' }, '不列为任务');
    return h('details', { class: 'drop' }, h('summary', {}, '不列为任务…'),
      h('form', {
        class: 'drop-form',
        onsubmit: (e) => {
          e.preventDefault();
          result.hidden = true;
          if (!reason.value.trim()) {
            clear(result).append(h('p', { class: 'alert', role: 'alert' }, '请填写不列为任务的理由。'));
            result.hidden = false;
            return;
          }
          correct(c.key, { kind: 'drop', clause: c.key, reason: reason.value.trim() }, result, button);
        },
      }, reason, button));
  }

  // The rarer corrections: numbering and heading, splitting a clause the parser read as one,
  // merging it with the next one.
  function moreEditor(c, result) {
    const label = h('input', { type: 'text', name: 'label', value: c.label, 'aria-label': '条款编号', class: 'label-input' });
    const heading = h('input', { type: 'text', name: 'heading', value: c.heading, 'aria-label': '标题', class: 'heading-input' });
    const saveLabel = h('button', { type: 'submit', class: 'secondary' }, '保存编号和标题');
    const at = h('input', { type: 'text', name: 'at', placeholder: '第二条开头的原文，如“加强…”', 'aria-label': '拆分处' });
    const splitButton = h('button', { type: 'submit', class: 'secondary' }, '拆分');
    const i = draft.clauses.findIndex((x) => x.key === c.key);
    const next = draft.clauses[i + 1];
    const mergeButton = next && next.part === c.part ? h('button', {
      type: 'button', class: 'secondary merge-next',
      onclick: () => correct(c.key, { kind: 'merge', clause: c.key, other: next.key, reason: '审核合并条款' }, result, mergeButton),
    }, `与下一条 ${next.label} 合并`) : '';
    const fail = (text) => {
      clear(result).append(h('p', { class: 'alert', role: 'alert' }, text));
      result.hidden = false;
    };
    return h('details', { class: 'more' }, h('summary', {}, '编号、标题、拆分与合并…'),
      h('form', {
        class: 'more-form label-form',
        onsubmit: (e) => {
          e.preventDefault();
          result.hidden = true;
          const body = { kind: 'label', clause: c.key, reason: '审核更正编号或标题' };
          if (label.value.trim() !== c.label) body.label = label.value.trim();
          if (heading.value.trim() !== c.heading) body.heading = heading.value.trim();
          if (body.label === '') return fail('条款编号不能为空。');
          if (body.label === undefined && body.heading === undefined) return fail('编号和标题都没有改动。');
          correct(c.key, body, result, saveLabel);
        },
      }, h('label', { class: 'field' }, '编号', label), h('label', { class: 'field' }, '标题', heading), saveLabel),
      h('form', {
        class: 'more-form split-form',
        onsubmit: (e) => {
          e.preventDefault();
          result.hidden = true;
          const text = at.value.trim();
          if (!text) return fail('请填写第二条开头的原文。');
          if (!c.text.includes(text) || c.text.startsWith(text)) return fail('原文中找不到这段文字，或它就是本条的开头。');
          correct(c.key, { kind: 'split', clause: c.key, at: text, reason: '审核拆分条款' }, result, splitButton);
        },
      }, h('label', { class: 'field' }, '从此处拆分为两条', at), splitButton),
      mergeButton);
  }

  // --- published: the live document ------------------------------------------------------------

  const liveBody = h('div');

  function drawPublished() {
    cards.clear();
    clear(root).append(
      h('nav', { class: 'crumbs' }, h('a', { href: '#/drafts' }, '拟办'), ' › ', draft.number || draft.document),
      h('div', { class: 'page-head' },
        h('h1', { class: 'doc-h1' }, draft.title, ' ', h('span', { class: 'status status-closed', id: 'live-badge' }, '已交办 · 生效中')),
        h('p', { class: 'muted small' }, [draft.number, draft.issuer, draft.signed_date].filter(Boolean).join(' · '))),
      h('p', { class: 'notice', id: 'published-notice', role: 'status' },
        `本文件已交办，${draft.tasks.length} 项任务正在办理。`),
      h('div', { class: 'draft-grid' },
        h('div', { class: 'draft-main' },
          h('section', { class: 'card' }, h('h2', {}, '任务落实情况',
            h('a', { class: 'small head-link', href: '#/document/' + encodeURIComponent(doc) }, '查看图表 ›')), liveBody)),
        h('aside', { class: 'draft-side' }, bulkDeadlineForm(true), cycleForm(true))));
    loadLive();
  }

  async function loadLive() {
    let d;
    try {
      d = await app.api.get(path('documents', doc));
    } catch (e) {
      clear(liveBody).append(alertBox(e));
      return;
    }
    if (disposed) return;
    for (const t of d.task_list) rememberTask({ ...t, document: doc });
    clear(liveBody).append(h('table', { class: 'clauses live-tasks' },
      h('thead', {}, h('tr', {}, ['条款', '标题', '牵头单位', '期限', '状态灯', '状态'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, d.task_list.map((t) => h('tr', { dataset: { task: t.task, light: t.light } },
        h('td', { 'data-label': '条款' }, t.label),
        h('td', { 'data-label': '标题' }, h('a', { href: '#/task/' + encodeURIComponent(t.task) }, t.heading || t.label)),
        h('td', { 'data-label': '牵头单位', class: 'small' }, t.leads.map((u) => app.unitName(u)).join('、')),
        h('td', { 'data-label': '期限' }, deadlineText(t.deadline)),
        h('td', { 'data-label': '状态灯', title: LIGHTS[t.light] }, lightBadge(t.light)),
        h('td', { 'data-label': '状态' }, statusBadge(t.status)))))));
  }

  load();
  let timer = null;
  return {
    // Live: in review, someone else's change to the draft is announced (see post()); once
    // published, task changes of this document redraw the task list.
    onEvent(e) {
      if (!draft) return;
      if (!draft.published) {
        if (othersChange(e)) stale.hidden = false;
        return;
      }
      if (e.type === 'resync' || e.document === doc || e.task?.startsWith(doc + '|')) {
        clearTimeout(timer);
        timer = setTimeout(() => { if (!disposed) loadLive(); }, 300);
      }
    },
    dispose() { disposed = true; clearTimeout(timer); },
  };
}
