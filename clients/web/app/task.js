// One task: the source clause as printed, its units, its history, and the actions the signed-in
// reader may take now: exactly the server's `allowed_actions`, so no button is offered that the
// server would refuse. Every action posts the task's current version as expected_version; a
// refusal is shown in Chinese (api.js); a version conflict also reloads the task. Days and
// times count from the server's `as_of`, not the browser's clock. Child tasks (分解/转办) and the
// participants' contributions (配合单位) show in cards of their own; a child's events reload its
// parent's page too, so the parent's units follow their children live.
import { ApiError, newCommandId, path } from './api.js';
import { h, clear } from './dom.js';
import { evidenceInput, evidenceLinks } from './evidence.js';
import {
  EVENTS, MODES, ROLES, STATUSES, personText, deadlineText, lightBadge, statusBadge, when, whenAgo, eventTime, dueText,
} from './format.js';

export function renderTask(app, container, taskId) {
  let disposed = false;
  let task = null;
  let timer = null;
  let loads = 0;
  // The actions card survives redraws while the same actions apply, so a live event on this
  // task does not wipe what the officer is typing; the outcome of the last action survives
  // even a rebuild.
  let actionsNode = null;
  let actionsKey = '';
  let lastResult = null; // {cls, text, version}: shown only while the task is at that version
  const root = h('section', { class: 'task-view' }, h('p', { class: 'muted' }, '加载中…'));
  container.append(root);

  async function load() {
    const mine = ++loads;
    let loaded;
    try {
      loaded = await app.api.get(path('tasks', taskId));
    } catch (e) {
      if (disposed || mine !== loads) return;
      clear(root).append(h('p', { class: 'alert', role: 'alert' },
        e instanceof ApiError && e.status === 403 ? '您的单位未承办此任务，无权查看。' : '未能加载任务：' + (e instanceof ApiError ? e.message : '页面出现错误')));
      actionsKey = '';
      return;
    }
    if (disposed || mine !== loads) return;
    task = loaded;
    draw();
  }

  function draw() {
    const key = JSON.stringify([task.allowed_actions, task.leads, task.participants,
      task.pending_extension, task.parts.map((p) => p.status),
      // The completion form lists the contributions and children received.
      task.contributions?.length, task.children?.map((c) => c.status)]);
    if (key !== actionsKey || !actionsNode) {
      actionsNode = actions();
      actionsKey = key;
    }
    const s = task.source;
    clear(root).append(
      h('nav', { class: 'crumbs' },
        h('a', { href: '#/document/' + encodeURIComponent(s.document) }, s.document), ' › ', s.label || ''),
      h('div', { class: 'task-head' },
        h('h1', {}, h('span', { class: 'clause-label' }, s.label), ' ', s.heading || ''),
        h('div', { class: 'badges' }, lightBadge(task.light), statusBadge(task.status),
          h('span', { class: 'chip' }, '期限 ', deadlineText(task.deadline)),
          dueText(task, task.as_of) ? h('span', { class: 'chip due-chip' + (task.light === 'red' ? ' chip-red' : ''), id: 'due' }, dueText(task, task.as_of)) : '',
          task.original_deadline && task.original_deadline !== task.deadline
            ? h('span', { class: 'chip muted' }, '原定 ', task.original_deadline) : '',
          awaitingSignOff() ? h('span', { class: 'chip chip-signoff', id: 'awaiting-sign-off' }, '待负责人签发') : '',
          // Set per document at review (拟办): a completion without a file is refused.
          task.evidence_required ? h('span', { class: 'chip', id: 'evidence-required' }, '办结须附佐证材料') : '',
          h('span', { class: 'chip muted' }, MODES[task.mode] || task.mode),
          h('span', { class: 'chip muted', title: '任务版本' }, 'v', task.version))),
      returnedBanner(),
      h('div', { class: 'task-grid' },
        h('div', { class: 'task-main' },
          card('原文', h('div', {},
            h('p', { class: 'source-meta muted small' }, `${s.document} · ${s.part || ''} · 第 ${s.line === s.end_line ? s.line : `${s.line}–${s.end_line}`} 行`),
            h('blockquote', { class: 'source-text', lang: 'zh-CN' }, s.text))),
          task.children?.length ? card('子任务', children(), 'children') : '',
          task.contributions?.length ? card('配合单位报送', contributionList(), 'contributions') : '',
          card('办理记录', history())),
        h('div', { class: 'task-side' },
          card('承办单位', units()),
          card('可办理事项', actionsNode))));
  }

  // A completion a handler submitted that awaits the unit head's sign-off (负责人签发).
  function awaitingSignOff() {
    return task.parts.some((p) => p.status === 'awaiting_sign_off');
  }

  // A task returned since its last completion report (by the office, or by the unit head before
  // it reached the office) says so first, with the latest reason.
  function returnedBanner() {
    let last = null;
    for (const e of task.history) {
      if (e.event_type === 'TaskReturned' || e.event_type === 'SignOffRefused') last = e;
      else if (['CompletionSubmitted', 'CompletionReported', 'CompletionApproved', 'TaskClosed', 'TaskReopened', 'TaskCancelled'].includes(e.event_type)) last = null;
    }
    if (!last) return '';
    return h('div', { class: 'returned-banner', id: 'returned', role: 'status' },
      h('strong', {}, last.event_type === 'SignOffRefused' ? '负责人已退回' : '已退回'), last.data?.reason || '',
      h('span', { class: 'muted small' }, ` · ${personText(last, (u) => app.unitName(u))} · ${whenAgo(eventTime(last), task.as_of)}`));
  }

  function card(title, body, id) {
    return h('section', { class: 'card', id }, h('h2', {}, title), body);
  }

  // The child tasks created under this one (分解 by the office, 转办 by a lead), each with its
  // own current status, linked to its page.
  function children() {
    return h('table', { class: 'tasks children-table' },
      h('thead', {}, h('tr', {}, ['承办单位', '状态', '期限', '来源', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, task.children.map((c) => h('tr', { dataset: { task: c.task, unit: c.unit } },
        h('td', { 'data-label': '承办单位' }, app.unitName(c.unit)),
        h('td', { 'data-label': '状态' }, c.light ? lightBadge(c.light) : '', ' ', c.status ? statusBadge(c.status) : h('span', { class: 'muted' }, '待建立')),
        h('td', { 'data-label': '期限' }, deadlineText(c.deadline)),
        h('td', { 'data-label': '来源', class: 'muted small' },
          c.delegated_by ? `${app.unitName(c.delegated_by)}转办` : c.group ? `${app.unitName(c.group)}分解` : ''),
        h('td', {}, h('a', { class: 'child-link', href: '#/task/' + encodeURIComponent(c.task) }, '查看'))))));
  }

  // The participants' contributions, newest last, with their evidence files.
  function contributionList() {
    return h('ul', { class: 'contribution-list' }, task.contributions.map((c) => h('li', { class: 'contribution', dataset: { unit: c.unit } },
      h('div', { class: 'tl-head' }, h('strong', {}, app.unitName(c.unit)),
        h('span', { class: 'muted small' }, ` · ${whenAgo(c.at, task.as_of)}`)),
      h('p', { class: 'tl-detail contribution-text' }, c.text),
      evidenceLinks(app, task.task, contributionFiles(c)))));
  }

  // A contribution's files: from the task's `contributions`, else from its event in the history.
  function contributionFiles(c) {
    if (c.attachments) return c.attachments;
    const e = task.history.find((x) => x.event_type === 'ContributionReported' && x.data?.unit === c.unit && x.data?.text === c.text && Date.parse(x.data?.at) === Date.parse(c.at));
    return e?.data?.attachments;
  }

  function units() {
    const ack = new Set(task.acknowledged);
    const line = (u, role) => h('li', { class: 'unit-line', dataset: { unit: u } },
      h('span', { class: `role role-${role}` }, ROLES[role]),
      h('span', { class: 'unit-name' }, app.unitName(u)),
      h('span', { class: ack.has(u) ? 'ack yes' : 'ack no' }, ack.has(u) ? '✓ 已签收' : '待签收'));
    const parts = task.parts.length > 1 || task.mode === 'separately'
      ? h('ul', { class: 'parts' }, task.parts.map((p) => h('li', {},
        `${p.lead ? app.unitName(p.lead) : '共同'}：${{ open: '办理中', reported: '已报办结', approved: '已批准', awaiting_sign_off: '待负责人签发' }[p.status] || p.status}`,
        p.summary ? h('span', { class: 'muted' }, ` — ${p.summary}`) : '')))
      : '';
    const ext = task.pending_extension
      ? h('p', { class: 'pending-ext' }, `${app.unitName(task.pending_extension.unit)} 申请延期至 ${task.pending_extension.requested_deadline}：${task.pending_extension.reason}`)
      : '';
    return h('div', {},
      h('ul', { class: 'unit-list' },
        task.leads.map((u) => line(u, 'lead')), task.participants.map((u) => line(u, 'participant'))),
      parts, ext,
      h('p', { class: 'muted small' }, `催办 ${task.urges} 次 · 退回 ${task.returns} 次 · 延期 ${task.extensions} 次`));
  }

  function history() {
    // Newest first: the latest return or urge is what the officer needs to read.
    return h('ol', { class: 'timeline' }, [...task.history].reverse().map((e) => h('li', { dataset: { position: e.position, type: e.event_type } },
      h('div', { class: 'tl-head' },
        h('strong', {}, EVENTS[e.event_type] || e.event_type),
        h('span', { class: 'muted small tl-who' }, ` ${personText(e, (u) => app.unitName(u))} · ${whenAgo(eventTime(e), task.as_of)}`)),
      eventDetail(e), evidenceLinks(app, task.task, e.data?.attachments))));
  }

  function eventDetail(e) {
    const d = e.data || {};
    const bits = [];
    if (d.unit && e.event_type !== 'TaskAcknowledged') bits.push(app.unitName(d.unit) + (d.role ? `（${ROLES[d.role] || d.role}）` : ''));
    if (e.event_type === 'TaskReassigned') {
      bits.push(`牵头：${d.old_leads.map((u) => app.unitName(u)).join('、') || '—'} → ${d.new_leads.map((u) => app.unitName(u)).join('、') || '—'}`);
      if (d.new_participants.length || d.old_participants.length) {
        bits.push(`参与：${d.new_participants.map((u) => app.unitName(u)).join('、') || '—'}`);
      }
    }
    if (e.event_type === 'TaskAcknowledged') bits.push(app.unitName(d.unit));
    if (d.percent !== undefined && d.percent !== null) bits.push(`${d.percent}%`);
    for (const k of ['note', 'summary', 'reason', 'text']) if (d[k]) bits.push(d[k]);
    if (e.event_type === 'ChildTaskCreated' && d.deadline) bits.push(`期限 ${d.deadline}`);
    if (d.requested_deadline) bits.push(`申请至 ${d.requested_deadline}`);
    if (d.new_deadline) bits.push(`新期限 ${d.new_deadline}`);
    if (e.event_type === 'DeadlineSet') bits.push(`期限 ${d.previous_deadline || '—'} → ${d.deadline || '无'}`);
    if (e.event_type === 'TaskCreated' && d.deadline) bits.push(`期限 ${d.deadline}`);
    return bits.length ? h('p', { class: 'tl-detail' }, bits.join(' · ')) : '';
  }

  // --- actions -------------------------------------------------------------------------------

  function actions() {
    const result = h('p', { class: 'action-result' + (lastResult ? ' ' + lastResult.cls : ''), role: 'status', id: 'action-result' },
      lastResult && lastResult.version === task.version ? lastResult.text : '');
    const show = (cls, text, version) => {
      lastResult = cls ? { cls, text, version: version ?? task.version } : null;
      result.className = 'action-result' + (cls ? ' ' + cls : '');
      result.setAttribute('role', cls === 'alert' ? 'alert' : 'status');
      result.textContent = text;
    };
    const list = h('div', { class: 'actions' });
    // Exactly what the server says the reader may do now, in the server's order.
    const allowed = new Set(task.allowed_actions || []);
    const add = (action, make) => { if (allowed.has(action)) list.append(make()); };
    add('acknowledge', () => button('acknowledge', '签收'));
    // Reports carry evidence files (evidence.js): uploaded first; null when one was refused.
    // No file chosen: no `attachments` field at all.
    const withEvidence = (make) => { const ev = evidenceInput(app, task.task); return [ev.node, async (v) => { const attachments = await ev.upload(); return attachments && (attachments.length ? { ...make(v), attachments } : make(v)); }]; };
    add('progress', () => { const [input, body] = withEvidence((v) => ({ note: v.note, percent: v.percent === '' ? null : Number(v.percent) }));
      return form('progress', '报告进展', [field('note', '进展情况', 'textarea', true), field('percent', '完成百分比', 'number'), input], body); });
    add('report-completion', () => { const [input, body] = withEvidence((v) => ({ summary: v.summary }));
      // The lead reads what its participants reported before it reports completion.
      const received = task.contributions?.length
        ? h('div', { class: 'contributions-received' }, h('p', { class: 'muted small' }, `已收到配合单位报送 ${task.contributions.length} 条：`), contributionList())
        : (task.participants.length ? h('p', { class: 'muted small contributions-received' }, '尚未收到配合单位报送。') : '');
      // … and where its child tasks stand (a child's completion does not close this task).
      const kids = task.children?.length
        ? h('p', { class: 'muted small children-received' }, `子任务 ${task.children.filter((c) => c.status === 'closed').length}/${task.children.length} 已办结：`,
          task.children.map((c) => `${app.unitName(c.unit)}（${STATUSES[c.status] || '待建立'}）`).join('、'))
        : '';
      const needsEvidence = task.evidence_required ? h('p', { class: 'muted small evidence-required-note' }, '本任务办结须附佐证材料。') : '';
      return form('report-completion', '报告办结', [received, kids, field('summary', '办结情况', 'textarea', true), needsEvidence, input], body); });
    add('contribute', () => { const [input, body] = withEvidence((v) => ({ text: v.text }));
      return form('contribute', '报送配合情况', [field('text', '配合工作情况', 'textarea', true), input], body); });
    // 转办: to the bodies the directory puts below the acting unit, by a date no later than ours.
    add('delegate', () => form('delegate', '转办', [
      unitPicker('units', '转办单位', [], below(app.me?.unit)),
      field('deadline', '完成时限（不晚于本任务期限）', 'date', false, task.deadline),
      field('note', '转办要求', 'text'),
    ], (v) => ({ units: v.units, ...(v.deadline ? { deadline: v.deadline } : {}), note: v.note })));
    // 分解: a group unit on the task into one child task per member (the directory's members).
    add('expand', () => form('expand', '分解到成员单位', [
      groupSelect('group', '分解的单位'),
      field('deadline', '完成时限（默认本任务期限）', 'date', false, task.deadline),
      field('note', '分解要求', 'text'),
    ], (v) => ({ group: v.group, ...(v.deadline ? { deadline: v.deadline } : {}), note: v.note })));
    // The unit head's sign-off (负责人签发) of a completion a handler submitted.
    add('sign-off', () => form('sign-off', '签发', [field('note', '签发意见（可不填）', 'text')], (v) => ({ note: v.note })));
    add('refuse-sign-off', () => form('refuse-sign-off', '退回承办人', [field('reason', '退回理由', 'text', true)], (v) => ({ reason: v.reason })));
    add('request-extension', () => form('request-extension', '申请延期', [field('requested_deadline', '申请延至', 'date', true), field('reason', '理由', 'text', true)],
      (v) => ({ requested_deadline: v.requested_deadline, reason: v.reason })));
    add('approve-completion', () => form('approve-completion', '批准办结', [unitSelect('unit', '单位（分别负责时选择）')],
      (v) => ({ unit: v.unit || null })));
    add('return', () => form('return', '退回', [unitSelect('unit', '单位（可不选）'), field('reason', '退回理由', 'text', true)],
      (v) => ({ unit: v.unit || null, reason: v.reason })));
    add('approve-extension', () => form('approve-extension', '批准延期',
      [field('deadline', `新期限（默认 ${task.pending_extension?.requested_deadline || ''}）`, 'date')],
      (v) => ({ deadline: v.deadline || null })));
    add('reject-extension', () => form('reject-extension', '驳回延期', [field('reason', '理由', 'text', true)], (v) => ({ reason: v.reason })));
    add('urge', () => form('urge', '催办', [unitSelect('unit', '催办单位（可不选）'), field('note', '催办意见', 'text')],
      (v) => ({ unit: v.unit || null, note: v.note })));
    add('reassign', () => form('reassign', '改派', [
      unitPicker('leads', '牵头单位', task.leads),
      unitPicker('participants', '参与单位', task.participants),
      field('reason', '理由', 'text', true),
    ], (v) => ({ leads: v.leads, participants: v.participants, reason: v.reason })));
    add('deadline', () => form('deadline', '设定期限', [field('deadline', '新期限（留空为不设期限）', 'date'), field('reason', '理由', 'text')],
      (v) => ({ deadline: v.deadline || null, reason: v.reason })));
    add('reopen', () => form('reopen', '重新打开', [field('reason', '理由', 'text', true)], (v) => ({ reason: v.reason })));
    add('cancel', () => form('cancel', '撤销', [field('reason', '撤销理由', 'text', true)], (v) => ({ reason: v.reason })));
    if (!list.children.length) {
      list.append(h('p', { class: 'muted', id: 'no-actions' },
        task.status === 'closed' || task.status === 'cancelled' ? '此任务已结束，没有可办理的事项。' : '您目前没有可办理的事项。'));
    }
    return h('div', {}, result, list);

    // A one-click action (acknowledge).
    function button(action, label) {
      return h('button', {
        type: 'button', class: 'primary action-button', dataset: { action },
        onclick: (e) => submit(action, {}, e.target, newCommandId()),
      }, label);
    }

    function form(action, label, fields, body) {
      let commandId = newCommandId();
      const submitButton = h('button', { type: 'submit', class: 'primary' }, label);
      const f = h('form', {
        class: 'action-form',
        onsubmit: async (e) => {
          e.preventDefault();
          const values = {};
          for (const el of f.elements) {
            if (!el.name) continue;
            values[el.name] = el.multiple ? [...el.selectedOptions].map((o) => o.value) : el.value;
          }
          const b = await body(values); // a report first uploads its evidence (evidence.js)
          if (b === null) return;
          // A retry after a network failure keeps the id, so the server cannot apply it twice.
          const ok = await submit(action, b, submitButton, commandId);
          if (ok !== 'network') commandId = newCommandId();
        },
      }, fields, submitButton);
      return h('details', { class: 'action', dataset: { action } }, h('summary', {}, label), f);
    }

    async function submit(action, body, control, commandId) {
      control.disabled = true;
      show('', '提交中…');
      try {
        const answer = await app.api.post(path('tasks', task.task, action),
          { command_id: commandId, expected_version: task.version, ...body });
        show('ok', '已办理：' + label(action), answer?.version);
        await load();
        return 'ok';
      } catch (e) {
        const msg = e instanceof ApiError ? e.message : '页面出现错误，请刷新后重试。';
        if (!(e instanceof ApiError)) console.error(e);
        show('alert', `未能办理（${label(action)}）：${msg}`);
        if (e instanceof ApiError && e.code === 'version_conflict') setTimeout(load, 0);
        return e instanceof ApiError && e.status === 0 ? 'network' : 'refused';
      } finally {
        control.disabled = false;
      }
    }
  }

  function label(action) {
    return {
      acknowledge: '签收', progress: '报告进展', 'report-completion': '报告办结', 'request-extension': '申请延期',
      reassign: '改派', urge: '催办', 'approve-completion': '批准办结', return: '退回',
      'approve-extension': '批准延期', 'reject-extension': '驳回延期', deadline: '设定期限',
      reopen: '重新打开', cancel: '撤销', 'sign-off': '签发', 'refuse-sign-off': '退回承办人',
      contribute: '报送配合情况', delegate: '转办', expand: '分解到成员单位',
    }[action] || action;
  }

  // `max`: the latest date a date field takes (a child's deadline: the task's).
  function field(name, text, type, required = false, max = null) {
    const input = type === 'textarea'
      ? h('textarea', { name, rows: 3, required })
      : h('input', { name, type, required, max, ...(type === 'number' ? { min: 0, max: 100, step: 1 } : {}) });
    return h('label', { class: 'field' }, h('span', {}, text), input);
  }

  // The units the directory puts below `unit` (a group's members, a body's subordinates).
  function below(unit) {
    return [...app.units.values()].filter((u) => unit && u.parent === unit);
  }

  function unitOptions(selected = [], units = [...app.units.values()]) {
    const chosen = new Set(selected);
    return units
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .map((u) => h('option', { value: u.id, selected: chosen.has(u.id) }, u.name));
  }

  // `units`: the units offered (default: every unit of the directory); one must be chosen.
  function unitPicker(name, text, selected, units) {
    return h('label', { class: 'field' }, h('span', {}, text + '（可多选）'),
      h('select', { name, multiple: true, size: 5, required: !!units }, unitOptions(selected, units)),
      units && !units.length ? h('span', { class: 'muted small' }, '单位目录中没有本单位的下级单位。') : '');
  }

  // The task's units that have members in the directory (groups), to expand.
  function groupSelect(name, text) {
    const groups = [...task.leads, ...task.participants].filter((u) => below(u).length);
    return h('label', { class: 'field' }, h('span', {}, text),
      h('select', { name, required: true }, groups.map((u) => h('option', { value: u }, `${app.unitName(u)}（${below(u).length} 个成员单位）`))),
      groups.length ? '' : h('span', { class: 'muted small' }, '本任务的承办单位在单位目录中没有成员单位。'));
  }

  function unitSelect(name, text) {
    const assigned = [...task.leads, ...task.participants];
    return h('label', { class: 'field' }, h('span', {}, text),
      h('select', { name }, h('option', { value: '' }, '—'),
        assigned.map((u) => h('option', { value: u }, app.unitName(u)))));
  }

  load();
  return {
    onEvent(e) {
      if (e.type === 'resync' || e.task === taskId || task?.children?.some((c) => c.task === e.task)) {
        clearTimeout(timer);
        timer = setTimeout(load, 100);
      }
    },
    dispose() { disposed = true; clearTimeout(timer); },
  };
}
